// The methods of the connection object ws.connect() returns (conn:send, conn:recv, ...).
#include <string>
#include <string_view>

#include "harness/scenario/client.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_ws_box.hpp"

namespace drover::scenario::ws_api {

namespace {

// Each call that waits is split in two: start_* owns every C++ object the call needs and starts
// the transport operation; the Lua entry point then yields (or raises) with none of them alive,
// because lua_yield and lua_error longjmp past C++ destructors (a shared_ptr skipped there is a
// connection that is never freed).

void start_send(conn_box& box, client& c, std::string payload, bool binary, bool validate) {
  if (validate && box.validate && c.env().observe) c.env().observe(transport::direction::sent, payload, binary);
  auto token = c.arm();
  conn_box* raw = &box;
  box.conn->async_send(std::move(payload), binary,
                       [self = c.shared_from_this(), token, raw, conn = box.conn](const transport::error_info& e,
                                                                                   transport::clock::time_point at) {
                         if (!self->accepts(token)) return;
                         lua_State* T = self->thread();
                         if (e) {
                           self->resume(push_failure(T, e));
                           return;
                         }
                         double ms = self->env().ms_since_start(at);
                         if (raw->conn == conn) raw->last_send_ms = ms;
                         lua_pushnumber(T, ms);
                         self->resume(1);
                       });
}

// Encodes argument 2 (a table, or a string sent as it is) and starts the send. Returns false
// with the message pushed when the value cannot be encoded.
bool start_send_value(lua_State* L, conn_box& box, client& c) {
  std::string payload;
  if (lua_type(L, 2) == LUA_TSTRING) {
    std::size_t n;
    const char* s = lua_tolstring(L, 2, &n);
    payload.assign(s, n);
  } else {
    std::string error;
    if (!encode_lua_value(L, 2, payload, &error)) {
      lua_pushfstring(L, "conn:send: %s", error.c_str());
      return false;
    }
  }
  start_send(box, c, std::move(payload), false, true);
  return true;
}

// conn:send(table_or_string) -> sent_at_ms | nil, error_word, message
int l_send(lua_State* L) {
  conn_box& box = check_box(L);
  luaL_checkany(L, 2);
  client& c = client::require(L, "conn:send()");
  if (!start_send_value(L, box, c)) return lua_error(L);
  return lua_yield(L, 0);
}

int l_send_raw(lua_State* L) {
  conn_box& box = check_box(L);
  std::size_t n;
  const char* s = luaL_checklstring(L, 2, &n);
  client& c = client::require(L, "conn:send_raw()");
  start_send(box, c, std::string(s, n), false, false);
  return lua_yield(L, 0);
}

int l_send_binary(lua_State* L) {
  conn_box& box = check_box(L);
  std::size_t n;
  const char* s = luaL_checklstring(L, 2, &n);
  client& c = client::require(L, "conn:send_binary()");
  start_send(box, c, std::string(s, n), true, false);
  return lua_yield(L, 0);
}

void start_recv(conn_box& box, client& c, std::chrono::milliseconds timeout, bool raw) {
  auto token = c.arm();
  conn_box* boxp = &box;
  box.conn->async_recv(timeout, [self = c.shared_from_this(), token, boxp, raw, conn = box.conn](
                                    const transport::error_info& e, transport::message m) {
    if (!self->accepts(token)) return;
    lua_State* T = self->thread();
    if (e) {
      self->resume(push_failure(T, e));
      return;
    }
    if (boxp->conn == conn) boxp->last_recv_ms = self->env().ms_since_start(m.received_at);
    if (raw) {
      lua_pushlstring(T, m.payload.data(), m.payload.size());
      lua_pushboolean(T, m.binary);
      if (boxp->conn == conn) boxp->last_payload = std::move(m.payload);
      self->resume(2);
      return;
    }
    push_message(T, m.payload, m.binary);
    if (boxp->conn == conn) boxp->last_payload = std::move(m.payload);
    self->resume(1);
  });
}

int recv_common(lua_State* L, bool raw) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:recv()");
  auto timeout = timeout_arg(L, 2, c.env().recv_timeout);
  start_recv(box, c, timeout, raw);
  return lua_yield(L, 0);
}

int l_recv(lua_State* L) { return recv_common(L, false); }
int l_recv_raw(lua_State* L) { return recv_common(L, true); }

void start_ping(conn_box& box, client& c, std::chrono::milliseconds timeout) {
  auto token = c.arm();
  box.conn->async_ping(timeout, [self = c.shared_from_this(), token](const transport::error_info& e,
                                                                     transport::clock::duration rtt) {
    if (!self->accepts(token)) return;
    lua_State* T = self->thread();
    if (e) {
      self->resume(push_failure(T, e));
      return;
    }
    lua_pushnumber(T, std::chrono::duration<double, std::milli>(rtt).count());
    self->resume(1);
  });
}

int l_ping(lua_State* L) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:ping()");
  start_ping(box, c, timeout_arg(L, 2, c.env().recv_timeout));
  return lua_yield(L, 0);
}

void start_close(conn_box& box, client& c, std::uint16_t code, std::string_view reason,
                 std::chrono::milliseconds timeout) {
  auto token = c.arm();
  box.conn->async_close(code, std::string(reason), timeout, [self = c.shared_from_this(), token](const transport::error_info& e) {
    if (!self->accepts(token)) return;
    if (e) {
      self->resume(push_failure(self->thread(), e));
      return;
    }
    lua_pushboolean(self->thread(), 1);
    self->resume(1);
  });
}

// conn:close([code=1000], [reason=""], [timeout_ms]) -> true | nil, error_word, message
int l_close(lua_State* L) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:close()");
  lua_Integer code = luaL_optinteger(L, 2, 1000);
  if (code < 0 || code > 4999) return luaL_argerror(L, 2, "close code must be 0..4999");
  std::size_t reason_len = 0;
  const char* reason = luaL_optlstring(L, 3, "", &reason_len);
  if (reason_len > 123) return luaL_argerror(L, 3, "close reason must be at most 123 bytes");
  auto timeout = timeout_arg(L, 4, std::chrono::milliseconds(5000));
  if (!box.conn->is_open()) {
    lua_pushboolean(L, 1);
    return 1;
  }
  start_close(box, c, static_cast<std::uint16_t>(code), std::string_view(reason, reason_len), timeout);
  return lua_yield(L, 0);
}

void start_wait_close(conn_box& box, client& c, std::chrono::milliseconds timeout) {
  auto token = c.arm();
  box.conn->async_wait_closed(timeout, [self = c.shared_from_this(), token](const transport::error_info& e,
                                                                            const transport::close_info& info) {
    if (!self->accepts(token)) return;
    lua_State* T = self->thread();
    if (e && !info.closed) {
      self->resume(push_failure(T, e));
      return;
    }
    lua_pushinteger(T, info.code);
    lua_pushlstring(T, info.reason.data(), info.reason.size());
    lua_pushboolean(T, info.server_initiated);
    self->resume(3);
  });
}

// conn:wait_close([timeout_ms]) -> code, reason, by_server | nil, "timeout"
int l_wait_close(lua_State* L) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:wait_close()");
  start_wait_close(box, c, timeout_arg(L, 2, c.env().recv_timeout));
  return lua_yield(L, 0);
}

int l_close_code(lua_State* L) {
  const auto& s = check_box(L).conn->close_state();
  if (s.closed) lua_pushinteger(L, s.code);
  else lua_pushnil(L);
  return 1;
}

int l_close_reason(lua_State* L) {
  const auto& s = check_box(L).conn->close_state();
  if (s.closed) lua_pushlstring(L, s.reason.data(), s.reason.size());
  else lua_pushnil(L);
  return 1;
}

int l_closed_by_server(lua_State* L) {
  const auto& s = check_box(L).conn->close_state();
  lua_pushboolean(L, s.closed && s.server_initiated);
  return 1;
}

int l_is_open(lua_State* L) {
  lua_pushboolean(L, check_box(L).conn->is_open());
  return 1;
}

int l_server_pings(lua_State* L) {
  conn_box& box = check_box(L);
  auto& env = environment_of(L);
  const auto& pings = box.conn->server_pings();
  lua_createtable(L, static_cast<int>(pings.size()), 0);
  for (std::size_t i = 0; i < pings.size(); ++i) {
    lua_pushnumber(L, env.ms_since_start(pings[i]));
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  return 1;
}

int l_status(lua_State* L) {
  lua_pushinteger(L, check_box(L).http_status);
  return 1;
}

int l_subprotocol(lua_State* L) {
  const auto& s = check_box(L).subprotocol;
  if (s.empty()) lua_pushnil(L);
  else lua_pushlstring(L, s.data(), s.size());
  return 1;
}

int l_header(lua_State* L) {
  conn_box& box = check_box(L);
  std::string name = luaL_checkstring(L, 2);
  for (const auto& [k, v] : box.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      lua_pushlstring(L, v.data(), v.size());
      return 1;
    }
  }
  lua_pushnil(L);
  return 1;
}

int push_time(lua_State* L, double ms) {
  if (ms < 0) lua_pushnil(L);
  else lua_pushnumber(L, ms);
  return 1;
}
int l_last_recv_time(lua_State* L) { return push_time(L, check_box(L).last_recv_ms); }
int l_last_send_time(lua_State* L) { return push_time(L, check_box(L).last_send_ms); }

int l_last_raw(lua_State* L) {
  const auto& p = check_box(L).last_payload;
  lua_pushlstring(L, p.data(), p.size());
  return 1;
}

int l_inbox(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(check_box(L).conn->inbox_size()));
  return 1;
}

int l_gc(lua_State* L) {
  auto* box = static_cast<conn_box*>(luaL_checkudata(L, 1, conn_mt));
  if (box->conn && box->conn->is_open()) box->conn->abort();
  box->~conn_box();
  return 0;
}

int l_tostring(lua_State* L) {
  conn_box& box = check_box(L);
  lua_pushfstring(L, "ws connection to %s (%s)", box.url.c_str(), box.conn->is_open() ? "open" : "closed");
  return 1;
}

}  // namespace

void register_connection_metatable(lua_State* L) {
  static const luaL_Reg methods[] = {
      {"send", l_send},
      {"send_raw", l_send_raw},
      {"send_binary", l_send_binary},
      {"recv", l_recv},
      {"recv_raw", l_recv_raw},
      {"ping", l_ping},
      {"close", l_close},
      {"wait_close", l_wait_close},
      {"close_code", l_close_code},
      {"close_reason", l_close_reason},
      {"closed_by_server", l_closed_by_server},
      {"is_open", l_is_open},
      {"server_pings", l_server_pings},
      {"status", l_status},
      {"subprotocol", l_subprotocol},
      {"header", l_header},
      {"last_recv_time", l_last_recv_time},
      {"last_send_time", l_last_send_time},
      {"last_raw", l_last_raw},
      {"inbox", l_inbox},
      {nullptr, nullptr},
  };
  luaL_newmetatable(L, conn_mt);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}

}  // namespace drover::scenario::ws_api
