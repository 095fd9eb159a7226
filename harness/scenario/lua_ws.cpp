// The `ws` global and the connection object a script gets from ws.connect().
// Every blocking-looking call starts an async transport operation and yields the client's
// coroutine; the completion pushes the results and resumes it (see client.hpp).
#include <algorithm>
#include <cmath>
#include <new>
#include <string>

#include "harness/common/error.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_api.hpp"

namespace drover::scenario {

namespace {

const char* const conn_mt = "drover.ws.connection";

struct conn_box {
  std::shared_ptr<transport::ws_connection> conn;
  std::string url;
  int http_status = 0;
  std::string subprotocol;
  std::vector<std::pair<std::string, std::string>> headers;
  bool validate = true;
  double last_recv_ms = -1;
  double last_send_ms = -1;
  std::string last_payload;
};

conn_box& check_box(lua_State* L) { return *static_cast<conn_box*>(luaL_checkudata(L, 1, conn_mt)); }

std::chrono::milliseconds timeout_arg(lua_State* L, int idx, std::chrono::milliseconds fallback) {
  if (lua_isnoneornil(L, idx)) return fallback;
  double ms = luaL_checknumber(L, idx);
  // A positive timeout never rounds down to 0, which would mean "wait forever".
  if (ms > 0) return std::chrono::milliseconds(std::max(1LL, static_cast<long long>(std::ceil(ms))));
  return std::chrono::milliseconds(0);
}

// The short error word scripts compare against: "timeout", "closed", "reset", ...
const char* error_word(const transport::error_info& e) {
  if (e.kind == transport::error_kind::recv_timeout || e.kind == transport::error_kind::ping_timeout ||
      e.kind == transport::error_kind::close_timeout)
    return "timeout";
  return transport::to_string(e.kind);
}

int push_failure(lua_State* T, const transport::error_info& e) {
  lua_pushnil(T);
  lua_pushstring(T, error_word(e));
  lua_pushstring(T, e.message.c_str());
  return 3;
}

// Text that looks like a JSON object or array becomes a table; anything else stays a string.
void push_message(lua_State* T, const std::string& payload, bool binary) {
  if (!binary) {
    std::size_t i = payload.find_first_not_of(" \t\r\n");
    if (i != std::string::npos && (payload[i] == '{' || payload[i] == '[')) {
      if (push_json_text(T, payload, nullptr)) return;
    }
  }
  lua_pushlstring(T, payload.data(), payload.size());
}

void read_connect_options(lua_State* L, int idx, transport::connect_options& o, ws_url& url, bool& validate_sent,
                          bool& validate_received) {
  if (idx == 0) return;
  lua_getfield(L, idx, "headers");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "ws.connect: headers must be name = value");
      o.headers.emplace_back(lua_tostring(L, -2), luaL_tolstring(L, -1, nullptr));
      lua_pop(L, 2);
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "query");
  if (lua_istable(L, -1)) {
    std::vector<std::pair<std::string, std::string>> params;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      params.emplace_back(luaL_tolstring(L, -2, nullptr), "");
      lua_pop(L, 1);
      params.back().second = luaL_tolstring(L, -1, nullptr);
      lua_pop(L, 2);
    }
    url.target = append_query(url.target, params);
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "subprotocols");
  if (lua_type(L, -1) == LUA_TSTRING) {
    o.subprotocols.emplace_back(lua_tostring(L, -1));
  } else if (lua_istable(L, -1)) {
    for (lua_Integer i = 1; i <= static_cast<lua_Integer>(lua_rawlen(L, -1)); ++i) {
      lua_rawgeti(L, -1, i);
      o.subprotocols.emplace_back(luaL_tolstring(L, -1, nullptr));
      lua_pop(L, 2);
    }
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "timeout");
  if (lua_isnumber(L, -1)) {
    auto t = std::chrono::milliseconds(static_cast<long long>(lua_tonumber(L, -1)));
    o.connect_timeout = t;
    o.handshake_timeout = t;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "max_message");
  if (lua_isnumber(L, -1)) o.max_message = static_cast<std::size_t>(lua_tonumber(L, -1));
  lua_pop(L, 1);
  lua_getfield(L, idx, "validate");
  if (lua_isboolean(L, -1)) {
    validate_sent = validate_received = lua_toboolean(L, -1);
  } else if (lua_type(L, -1) == LUA_TSTRING) {
    std::string which = lua_tostring(L, -1);
    if (which != "sent" && which != "received")
      luaL_error(L, "ws.connect: validate must be true, false, \"sent\" or \"received\"");
    validate_sent = which == "sent";
    validate_received = which == "received";
  }
  lua_pop(L, 1);
}

void push_info(lua_State* T, const transport::connect_result& r) {
  lua_createtable(T, 0, 4);
  lua_pushstring(T, transport::to_string(r.error.kind));
  lua_setfield(T, -2, "kind");
  lua_pushinteger(T, r.http_status);
  lua_setfield(T, -2, "status");
  lua_pushlstring(T, r.response_body.data(), r.response_body.size());
  lua_setfield(T, -2, "body");
  lua_pushstring(T, r.error.message.c_str());
  lua_setfield(T, -2, "message");
}

// ws.connect([url], [opts]) -> conn | nil, error_word, message, info
int l_connect(lua_State* L) {
  client& c = client::require(L, "ws.connect()");
  auto& env = c.env();
  std::string text;
  int opts = 0;
  if (lua_type(L, 1) == LUA_TSTRING) {
    text = lua_tostring(L, 1);
    if (lua_istable(L, 2)) opts = 2;
  } else if (lua_istable(L, 1)) {
    opts = 1;
  } else if (lua_isnoneornil(L, 1)) {
    if (lua_istable(L, 2)) opts = 2;
  } else {
    return luaL_argerror(L, 1, "expected a ws:// or wss:// URL or an options table");
  }
  if (text.empty()) text = env.default_target;
  if (text.empty()) return luaL_error(L, "ws.connect: no URL given and no target set (options.target or --target)");
  ws_url url;
  try {
    url = parse_ws_url(text);
  } catch (const usage_error& e) {
    return luaL_error(L, "ws.connect: %s", e.what());
  }
  transport::connect_options o = env.connect_defaults;
  bool validate = true, validate_received = true;
  read_connect_options(L, opts, o, url, validate, validate_received);
  if (url.secure && !env.tls) return luaL_error(L, "ws.connect: no TLS context for %s", text.c_str());

  auto conn = transport::ws_connection::create(env.io, url.secure ? env.tls : nullptr, &env.rec);
  if (env.observe && validate_received) {
    conn->set_observer([&env](transport::direction d, std::string_view payload, bool binary) {
      if (d == transport::direction::received) env.observe(d, payload, binary);
    });
  }
  c.track(conn);
  auto token = c.arm();
  conn->async_connect(url, o, [self = c.shared_from_this(), token, conn, validate, text](const transport::connect_result& r) {
    if (!self->accepts(token)) return;
    lua_State* T = self->thread();
    if (r.error) {
      lua_pushnil(T);
      lua_pushstring(T, transport::to_string(r.error.kind));
      lua_pushstring(T, r.error.message.c_str());
      push_info(T, r);
      self->resume(4);
      return;
    }
    self->note_connected();
    auto* box = static_cast<conn_box*>(lua_newuserdatauv(T, sizeof(conn_box), 0));
    new (box) conn_box();
    luaL_setmetatable(T, conn_mt);
    box->conn = conn;
    box->url = text;
    box->http_status = r.http_status;
    box->subprotocol = r.subprotocol;
    box->headers = r.response_headers;
    box->validate = validate;
    self->resume(1);
  });
  return lua_yield(L, 0);
}

int send_common(lua_State* L, std::string payload, bool binary, bool validate) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:send()");
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
  return lua_yield(L, 0);
}

// conn:send(table_or_string) -> sent_at_ms | nil, error_word, message
int l_send(lua_State* L) {
  check_box(L);
  luaL_checkany(L, 2);
  std::string payload;
  if (lua_type(L, 2) == LUA_TSTRING) {
    std::size_t n;
    const char* s = lua_tolstring(L, 2, &n);
    payload.assign(s, n);
  } else {
    std::string error;
    if (!encode_lua_value(L, 2, payload, &error)) return luaL_error(L, "conn:send: %s", error.c_str());
  }
  return send_common(L, std::move(payload), false, true);
}

int l_send_raw(lua_State* L) {
  std::size_t n;
  const char* s = luaL_checklstring(L, 2, &n);
  return send_common(L, std::string(s, n), false, false);
}

int l_send_binary(lua_State* L) {
  std::size_t n;
  const char* s = luaL_checklstring(L, 2, &n);
  return send_common(L, std::string(s, n), true, false);
}

int recv_common(lua_State* L, bool raw) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:recv()");
  auto timeout = timeout_arg(L, 2, c.env().recv_timeout);
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
  return lua_yield(L, 0);
}

int l_recv(lua_State* L) { return recv_common(L, false); }
int l_recv_raw(lua_State* L) { return recv_common(L, true); }

int l_ping(lua_State* L) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:ping()");
  auto token = c.arm();
  box.conn->async_ping(timeout_arg(L, 2, c.env().recv_timeout),
                       [self = c.shared_from_this(), token](const transport::error_info& e, transport::clock::duration rtt) {
                         if (!self->accepts(token)) return;
                         lua_State* T = self->thread();
                         if (e) {
                           self->resume(push_failure(T, e));
                           return;
                         }
                         lua_pushnumber(T, std::chrono::duration<double, std::milli>(rtt).count());
                         self->resume(1);
                       });
  return lua_yield(L, 0);
}

// conn:close([code=1000], [reason=""], [timeout_ms]) -> true | nil, error_word, message
int l_close(lua_State* L) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:close()");
  lua_Integer code = luaL_optinteger(L, 2, 1000);
  if (code < 0 || code > 4999) return luaL_argerror(L, 2, "close code must be 0..4999");
  std::string reason = luaL_optstring(L, 3, "");
  if (reason.size() > 123) return luaL_argerror(L, 3, "close reason must be at most 123 bytes");
  if (!box.conn->is_open()) {
    lua_pushboolean(L, 1);
    return 1;
  }
  auto token = c.arm();
  box.conn->async_close(static_cast<std::uint16_t>(code), reason, timeout_arg(L, 4, std::chrono::milliseconds(5000)),
                        [self = c.shared_from_this(), token](const transport::error_info& e) {
                          if (!self->accepts(token)) return;
                          if (e) {
                            self->resume(push_failure(self->thread(), e));
                            return;
                          }
                          lua_pushboolean(self->thread(), 1);
                          self->resume(1);
                        });
  return lua_yield(L, 0);
}

// conn:wait_close([timeout_ms]) -> code, reason, by_server | nil, "timeout"
int l_wait_close(lua_State* L) {
  conn_box& box = check_box(L);
  client& c = client::require(L, "conn:wait_close()");
  auto token = c.arm();
  box.conn->async_wait_closed(timeout_arg(L, 2, c.env().recv_timeout),
                              [self = c.shared_from_this(), token](const transport::error_info& e,
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

int l_ws_index_error(lua_State* L) {
  return luaL_error(L, "ws.%s does not exist (ws.connect is the only function)", luaL_checkstring(L, 2));
}

}  // namespace

void install_ws_api(lua_State* L) {
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

  lua_newtable(L);
  lua_pushcfunction(L, l_connect);
  lua_setfield(L, -2, "connect");
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, l_ws_index_error);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "ws");
}

}  // namespace drover::scenario
