// The `http` global. As with `ws`, a request is split in two: start_request owns every C++
// object of the call and starts the transport operation; the Lua entry point then yields (or
// raises) with none of them alive, because lua_yield and lua_error longjmp past destructors.
#include "harness/scenario/lua_http.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

#include "harness/common/error.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_options.hpp"
#include "harness/transport/cookie_jar.hpp"
#include "harness/transport/http_client.hpp"

namespace drover::scenario {

namespace {

using header_list = std::vector<std::pair<std::string, std::string>>;

const char state_key = 0;  // the client::extension key of the HTTP state

struct http_state final : client::extension {
  explicit http_state(client_environment& env) : http(env.io, env.tls, &env.rec) {}
  void iteration_ended() override { http.close_idle(); }
  transport::http_client http;
  transport::cookie_jar jar;
};

http_state& state_of(client& c) {
  if (auto* e = c.find_extension(&state_key)) return static_cast<http_state&>(*e);
  return static_cast<http_state&>(c.add_extension(&state_key, std::make_unique<http_state>(c.env())));
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// Reads the options at idx (headers, query, timeout, max_body) into req. A bad option pushes
// its message and returns false (no Lua error here: the caller's C++ objects must go first).
bool read_options(lua_State* L, int idx, transport::http_request& req, const char* fn) {
  if (idx == 0) return true;
  if (!read_headers_field(L, idx, fn, req.headers)) return false;
  read_query_field(L, idx, req.url.target);
  lua_getfield(L, idx, "timeout");
  if (lua_isnumber(L, -1)) {
    double ms = std::min(lua_tonumber(L, -1), 1e12);  // ~30 years: "never", without overflow
    req.timeout = std::chrono::milliseconds(ms > 0 ? std::max(1LL, static_cast<long long>(std::ceil(ms))) : 0);
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "max_body");
  if (lua_isnumber(L, -1)) {
    double n = lua_tonumber(L, -1);
    if (n < 0) {
      lua_pop(L, 1);
      lua_pushfstring(L, "%s: max_body must not be negative", fn);
      return false;
    }
    req.max_body = n >= 1e15 ? std::size_t(1e15) : static_cast<std::size_t>(n);
  }
  lua_pop(L, 1);
  return true;
}

// The body at idx: a string is sent as it is, a table as JSON (with Content-Type
// application/json unless the script set one), nil is no body.
bool read_body(lua_State* L, int idx, transport::http_request& req, const char* fn) {
  if (idx == 0 || lua_isnoneornil(L, idx)) return true;
  if (lua_type(L, idx) == LUA_TSTRING) {
    std::size_t n;
    const char* s = lua_tolstring(L, idx, &n);
    req.body.assign(s, n);
    return true;
  }
  if (!lua_istable(L, idx)) {
    lua_pushfstring(L, "%s: the body must be a string or a table (sent as JSON), not a %s", fn, luaL_typename(L, idx));
    return false;
  }
  std::string error;
  if (!encode_lua_value(L, idx, req.body, &error)) {
    lua_pushfstring(L, "%s: the body cannot be encoded as JSON: %s", fn, error.c_str());
    return false;
  }
  bool typed = std::any_of(req.headers.begin(), req.headers.end(), [](const auto& h) { return lower(h.first) == "content-type"; });
  if (!typed) req.headers.emplace_back("Content-Type", "application/json");
  return true;
}

void push_number_field(lua_State* T, const char* name, double v) {
  lua_pushnumber(T, v);
  lua_setfield(T, -2, name);
}

bool is_json_type(const header_list& headers) {
  for (const auto& [name, value] : headers) {
    if (lower(name) != "content-type") continue;
    std::string type = lower(value.substr(0, value.find(';')));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
    return type == "application/json" || (type.size() > 5 && type.ends_with("+json"));
  }
  return false;
}

// The response table (see scenarios/README.md, "HTTP").
void push_response(lua_State* T, const transport::http_response& r, const std::string& url) {
  lua_createtable(T, 0, 9);
  lua_pushinteger(T, r.status);
  lua_setfield(T, -2, "status");
  lua_pushlstring(T, r.reason.data(), r.reason.size());
  lua_setfield(T, -2, "status_text");
  lua_pushlstring(T, url.data(), url.size());
  lua_setfield(T, -2, "url");
  lua_pushboolean(T, r.reused);
  lua_setfield(T, -2, "reused");
  lua_newtable(T);  // headers: lower-case names; repeats joined with ", "; set-cookie a list
  for (const auto& [name, value] : r.headers) {
    std::string key = lower(name);
    lua_getfield(T, -1, key.c_str());
    if (key == "set-cookie") {
      if (lua_isnil(T, -1)) {
        lua_pop(T, 1);
        lua_newtable(T);
        lua_pushvalue(T, -1);
        lua_setfield(T, -3, key.c_str());
      }
      lua_pushlstring(T, value.data(), value.size());
      lua_rawseti(T, -2, static_cast<lua_Integer>(lua_rawlen(T, -2) + 1));
      lua_pop(T, 1);
      continue;
    }
    if (lua_isnil(T, -1)) {
      lua_pop(T, 1);
      lua_pushlstring(T, value.data(), value.size());
    } else {
      lua_pushliteral(T, ", ");
      lua_pushlstring(T, value.data(), value.size());
      lua_concat(T, 3);
    }
    lua_setfield(T, -2, key.c_str());
  }
  lua_setfield(T, -2, "headers");
  lua_pushlstring(T, r.body.data(), r.body.size());
  lua_setfield(T, -2, "body");
  if (is_json_type(r.headers)) {
    std::string error;
    if (push_json_text(T, r.body, &error)) {
      lua_setfield(T, -2, "json");
    } else {
      lua_pushlstring(T, error.data(), error.size());
      lua_setfield(T, -2, "json_error");
    }
  }
  lua_createtable(T, 0, 6);
  push_number_field(T, "connecting", r.timings.connecting);
  push_number_field(T, "tls", r.timings.tls);
  push_number_field(T, "sending", r.timings.sending);
  push_number_field(T, "waiting", r.timings.waiting);
  push_number_field(T, "receiving", r.timings.receiving);
  push_number_field(T, "duration", r.timings.duration());
  lua_setfield(T, -2, "timings");
}

void store_cookies(transport::cookie_jar& jar, const ws_url& url, const header_list& headers) {
  for (const auto& [name, value] : headers)
    if (name.size() == 10 && lower(name) == "set-cookie") jar.store(url, value);
}

enum class call { get, post, table };

// Starts http.get / http.post / http.request. Returns false with the message pushed when the
// arguments are wrong.
bool start_request(lua_State* L, client& c, call form) {
  auto& env = c.env();
  const char* fn = form == call::get ? "http.get" : form == call::post ? "http.post" : "http.request";
  transport::http_request req;
  req.connect_timeout = env.connect_defaults.connect_timeout;
  req.source_ips = env.connect_defaults.source_ips;  // --source-ips applies to http.* as to ws.connect
  std::string url_text;
  int opts = 0, body = 0;
  if (form == call::table) {
    if (!lua_istable(L, 1)) {
      lua_pushstring(L, "http.request: expected a table {method=, url=, headers=, body=, timeout=, max_body=}");
      return false;
    }
    lua_settop(L, 1);
    lua_getfield(L, 1, "method");
    if (lua_type(L, -1) == LUA_TSTRING) {
      req.method = lua_tostring(L, -1);
      for (char& ch : req.method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    lua_getfield(L, 1, "url");
    if (lua_type(L, -1) == LUA_TSTRING) url_text = lua_tostring(L, -1);
    lua_getfield(L, 1, "body");  // stays at index 4
    opts = 1;
    body = 4;
  } else {
    if (lua_type(L, 1) != LUA_TSTRING) {
      lua_pushfstring(L, "bad argument #1 to '%s' (expected an http:// or https:// URL)", fn);
      return false;
    }
    url_text = lua_tostring(L, 1);
    if (form == call::post) {
      req.method = "POST";
      body = 2;
    }
    int o = form == call::post ? 3 : 2;
    if (lua_istable(L, o)) opts = o;
  }
  if (url_text.empty()) {
    lua_pushfstring(L, "%s: no URL given", fn);
    return false;
  }
  try {
    req.url = transport::parse_http_url(url_text);
  } catch (const usage_error& e) {
    lua_pushfstring(L, "%s: %s", fn, e.what());
    return false;
  }
  if (!read_options(L, opts, req, fn) || !read_body(L, body, req, fn)) return false;
  if (auto problem = transport::check_http_request(req); !problem.empty()) {
    lua_pushfstring(L, "%s: %s", fn, problem.c_str());
    return false;
  }
  if (req.url.secure && !env.tls) {
    lua_pushfstring(L, "%s: no TLS context for %s", fn, url_text.c_str());
    return false;
  }
  auto& state = state_of(c);
  add_jar_cookies(c, req.url, req.headers);
  auto token = c.arm();
  ws_url url = req.url;
  state.http.async_request(std::move(req), [self = c.shared_from_this(), token, url, url_text](transport::http_response r) {
    if (!self->accepts(token)) return;
    if (auto* e = self->find_extension(&state_key)) store_cookies(static_cast<http_state*>(e)->jar, url, r.headers);
    lua_State* T = self->thread();
    if (r.error != transport::http_error::none) {
      lua_pushnil(T);
      lua_pushstring(T, transport::to_string(r.error));
      lua_pushlstring(T, r.message.data(), r.message.size());
      self->resume(3);
      return;
    }
    push_response(T, r, url_text);
    self->resume(1);
  });
  return true;
}

int raise_with_where(lua_State* L) {
  luaL_where(L, 1);  // the script's file:line, as luaL_error would give
  lua_insert(L, -2);
  lua_concat(L, 2);
  return lua_error(L);
}

int request_entry(lua_State* L, call form, const char* what) {
  client& c = client::require(L, what);
  if (!start_request(L, c, form)) return raise_with_where(L);
  return lua_yield(L, 0);
}

// http.get(url, [opts]) / http.post(url, [body], [opts]) / http.request{...}
//   -> response | nil, error_word, message
int l_get(lua_State* L) { return request_entry(L, call::get, "http.get()"); }
int l_post(lua_State* L) { return request_entry(L, call::post, "http.post()"); }
int l_request(lua_State* L) { return request_entry(L, call::table, "http.request()"); }

// Pushes the cookies the client would send to the URL at 1 as a name -> value table.
bool push_cookies(lua_State* L, client& c) {
  ws_url url;
  try {
    std::string text = lua_tostring(L, 1);
    url = text.rfind("ws", 0) == 0 ? parse_ws_url(text) : transport::parse_http_url(text);
  } catch (const usage_error& e) {
    lua_pushfstring(L, "http.cookies: %s", e.what());
    return false;
  }
  lua_newtable(L);
  if (auto* e = c.find_extension(&state_key)) {
    for (const auto& [name, value] : static_cast<http_state*>(e)->jar.cookies_for(url)) {
      lua_pushlstring(L, value.data(), value.size());
      lua_setfield(L, -2, name.c_str());
    }
  }
  return true;
}

// http.cookies(url) -> {name = value} that a request to url would carry
int l_cookies(lua_State* L) {
  luaL_checkstring(L, 1);
  client& c = client::require(L, "http.cookies()");
  if (!push_cookies(L, c)) return raise_with_where(L);
  return 1;
}

int l_clear_cookies(lua_State* L) {
  client& c = client::require(L, "http.clear_cookies()");
  if (auto* e = c.find_extension(&state_key)) static_cast<http_state*>(e)->jar.clear();
  return 0;
}

// http.live_connections() -> HTTP connections (idle or in use) alive in this process
int l_live_connections(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(transport::live_http_connections()));
  return 1;
}

int l_http_index_error(lua_State* L) {
  return luaL_error(L, "http.%s does not exist (http.get, http.post, http.request, http.cookies, "
                    "http.clear_cookies and http.live_connections are its functions)", luaL_checkstring(L, 2));
}

int l_control_index_error(lua_State* L) {
  return luaL_error(L, "http.%s is not available here: requests are made from client(); setup() and teardown() "
                    "have http.live_connections only", luaL_checkstring(L, 2));
}

void install_table(lua_State* L, const luaL_Reg* functions, lua_CFunction on_unknown) {
  lua_newtable(L);
  luaL_setfuncs(L, functions, 0);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, on_unknown);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "http");
}

}  // namespace

void add_jar_cookies(client& c, const ws_url& url, header_list& headers) {
  auto* e = c.find_extension(&state_key);
  if (!e) return;
  std::string jar = static_cast<http_state*>(e)->jar.header_for(url);
  if (jar.empty()) return;
  for (auto& [name, value] : headers) {
    if (lower(name) == "cookie") {
      value += "; " + jar;  // the script's own cookies first
      return;
    }
  }
  headers.emplace_back("Cookie", std::move(jar));
}

void store_jar_cookies(client& c, const ws_url& url, const header_list& headers) {
  bool any = std::any_of(headers.begin(), headers.end(), [](const auto& h) { return lower(h.first) == "set-cookie"; });
  if (any) store_cookies(state_of(c).jar, url, headers);
}

void install_http_api(lua_State* L) {
  static const luaL_Reg functions[] = {{"get", l_get},
                                       {"post", l_post},
                                       {"request", l_request},
                                       {"cookies", l_cookies},
                                       {"clear_cookies", l_clear_cookies},
                                       {"live_connections", l_live_connections},
                                       {nullptr, nullptr}};
  install_table(L, functions, l_http_index_error);
}

void install_control_http_api(lua_State* L) {
  static const luaL_Reg functions[] = {{"live_connections", l_live_connections}, {nullptr, nullptr}};
  install_table(L, functions, l_control_index_error);
}

}  // namespace drover::scenario
