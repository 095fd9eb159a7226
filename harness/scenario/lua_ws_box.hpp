#pragma once
// Shared by the `ws` API files: the connection object a script holds (a full userdata whose
// metatable is conn_mt) and the small conversions both files need. Worker thread only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <lua.hpp>

#include "harness/scenario/json_bridge.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::scenario::ws_api {

inline const char* const conn_mt = "drover.ws.connection";

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

inline conn_box& check_box(lua_State* L) { return *static_cast<conn_box*>(luaL_checkudata(L, 1, conn_mt)); }

inline std::chrono::milliseconds timeout_arg(lua_State* L, int idx, std::chrono::milliseconds fallback) {
  if (lua_isnoneornil(L, idx)) return fallback;
  double ms = luaL_checknumber(L, idx);
  // A positive timeout never rounds down to 0, which would mean "wait forever".
  if (ms > 0) return std::chrono::milliseconds(std::max(1LL, static_cast<long long>(std::ceil(ms))));
  return std::chrono::milliseconds(0);
}

// The short error word scripts compare against: "timeout", "closed", "reset", ...
inline const char* error_word(const transport::error_info& e) {
  if (e.kind == transport::error_kind::recv_timeout || e.kind == transport::error_kind::ping_timeout ||
      e.kind == transport::error_kind::close_timeout)
    return "timeout";
  return transport::to_string(e.kind);
}

inline int push_failure(lua_State* T, const transport::error_info& e) {
  lua_pushnil(T);
  lua_pushstring(T, error_word(e));
  lua_pushstring(T, e.message.c_str());
  return 3;
}

// Text that looks like a JSON object or array becomes a table; anything else stays a string.
inline void push_message(lua_State* T, const std::string& payload, bool binary) {
  if (!binary) {
    std::size_t i = payload.find_first_not_of(" \t\r\n");
    if (i != std::string::npos && (payload[i] == '{' || payload[i] == '[')) {
      if (push_json_text(T, payload, nullptr)) return;
    }
  }
  lua_pushlstring(T, payload.data(), payload.size());
}

// Registers conn_mt with the connection methods (lua_ws_methods.cpp).
void register_connection_metatable(lua_State* L);

}  // namespace drover::scenario::ws_api
