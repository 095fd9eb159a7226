// The `ws` global: ws.connect() and the options it takes. The connection's methods are in
// lua_ws_methods.cpp. Every call that waits starts an async transport operation and yields the
// client's coroutine; the completion pushes the results and resumes it (see client.hpp).
#include <string>

#include "harness/common/error.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_options.hpp"
#include "harness/scenario/lua_http.hpp"
#include "harness/scenario/lua_ws_box.hpp"

namespace drover::scenario {

namespace {

// What one connection holds outside Lua's heap, in KiB: drover's RSS grows by about 17 KiB per
// open session (tests/bench/load/RESULTS.md, "Scale"), almost all of it the connection's.
constexpr int connection_footprint_kib = 16;

using namespace ws_api;

// Reads ws.connect's options table. A bad option pushes its message and returns false (no Lua
// error is raised here: the caller's C++ objects must be destroyed before one is).
bool read_connect_options(lua_State* L, int idx, transport::connect_options& o, ws_url& url, bool& validate_sent,
                          bool& validate_received) {
  if (idx == 0) return true;
  if (!read_headers_field(L, idx, "ws.connect", o.headers)) return false;
  read_query_field(L, idx, url.target);
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
    if (which != "sent" && which != "received") {
      lua_pop(L, 1);
      lua_pushstring(L, "ws.connect: validate must be true, false, \"sent\" or \"received\"");
      return false;
    }
    validate_sent = which == "sent";
    validate_received = which == "received";
  }
  lua_pop(L, 1);
  return true;
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

// Starts ws.connect: every C++ object of the call lives and dies in here. Returns false with
// the error message pushed when the arguments are wrong.
bool start_connect(lua_State* L, client& c) {
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
    lua_pushstring(L, "bad argument #1 to 'connect' (expected a ws:// or wss:// URL or an options table)");
    return false;
  }
  if (text.empty()) text = env.default_target;
  if (text.empty()) {
    lua_pushstring(L, "ws.connect: no URL given and no target set (options.target or --target)");
    return false;
  }
  ws_url url;
  try {
    url = parse_ws_url(text);
  } catch (const usage_error& e) {
    lua_pushfstring(L, "ws.connect: %s", e.what());
    return false;
  }
  transport::connect_options o = env.connect_defaults;
  bool validate = true, validate_received = true;
  if (!read_connect_options(L, opts, o, url, validate, validate_received)) return false;
  add_jar_cookies(c, url, o.headers);  // cookies an earlier http call (or upgrade) set
  if (url.secure && !env.tls) {
    lua_pushfstring(L, "ws.connect: no TLS context for %s", text.c_str());
    return false;
  }

  auto conn = transport::ws_connection::create(env.io, url.secure ? env.tls : nullptr, &env.rec);
  if (env.observe && validate_received) {
    conn->set_observer([&env](transport::direction d, std::string_view payload, bool binary) {
      if (d == transport::direction::received) env.observe(d, payload, binary);
    });
  }
  c.track(conn);
  auto token = c.arm();
  // The handler holds the connection until the script owns it (the userdata made below).
  conn->async_connect(url, o, [self = c.shared_from_this(), token, conn, validate, text, url](const transport::connect_result& r) {
    if (!self->accepts(token)) return;
    store_jar_cookies(*self, url, r.response_headers);
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
  return true;
}

// ws.connect([url], [opts]) -> conn | nil, error_word, message, info
int l_connect(lua_State* L) {
  client& c = client::require(L, "ws.connect()");
  if (!start_connect(L, c)) {
    luaL_where(L, 1);  // the script's file:line, as luaL_error would give
    lua_insert(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
  }
  // A connection's memory lies outside Lua's heap (Beast's stream and buffers), where Lua's
  // collector cannot see it, and a closed connection is freed only when the collector frees its
  // userdata. A script that allocates little in Lua (a raw churn loop) then let closed sessions
  // pile up: at 1,000 new sessions/s the process grew from 58 MB to 982 MB in 10 minutes
  // (tests/bench/load/scale.sh). Counting each connection as collector debt paces the collector
  // by what connections really hold.
  lua_gc(L, LUA_GCSTEP, connection_footprint_kib);
  return lua_yield(L, 0);
}

// ws.live_connections() -> connection objects alive in this process (every worker): a soak
// test's teardown can check that closed sessions were released.
int l_live_connections(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(transport::live_connections()));
  return 1;
}

int l_ws_index_error(lua_State* L) {
  return luaL_error(L, "ws.%s does not exist (ws.connect and ws.live_connections are its functions)",
                    luaL_checkstring(L, 2));
}

}  // namespace

void install_control_ws_api(lua_State* L) {
  lua_newtable(L);
  lua_pushcfunction(L, l_live_connections);
  lua_setfield(L, -2, "live_connections");
  lua_setglobal(L, "ws");
}

void install_ws_api(lua_State* L) {
  ws_api::register_connection_metatable(L);

  lua_newtable(L);
  lua_pushcfunction(L, l_connect);
  lua_setfield(L, -2, "connect");
  lua_pushcfunction(L, l_live_connections);
  lua_setfield(L, -2, "live_connections");
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, l_ws_index_error);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "ws");
}

}  // namespace drover::scenario
