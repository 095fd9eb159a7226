#include "harness/scenario/lua_api.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "harness/common/data_root.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/protocols/secrets.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_http.hpp"
#include "harness/scenario/lua_sandbox.hpp"

namespace drover::scenario {

namespace {

const char env_key = 0;  // registry key: light userdata of this byte -> client_environment*
std::mutex log_mutex;

double check_ms(lua_State* L, int idx, const char* what) {
  double ms = luaL_checknumber(L, idx);
  if (ms < 0) luaL_error(L, "%s must not be negative", what);
  return ms;
}

// sleep(ms) -> true, or false when the run's end cut the sleep short.
int l_sleep(lua_State* L) {
  client& c = client::require(L, "sleep()");
  double ms = check_ms(L, 1, "sleep(ms)");
  if (c.env().stopping || c.retiring()) {
    lua_pushboolean(L, 0);
    return 1;
  }
  auto token = c.arm();
  c.timer().expires_after(std::chrono::microseconds(static_cast<long long>(ms * 1000.0)));
  c.timer().async_wait([self = c.shared_from_this(), token](const boost::system::error_code& ec) {
    if (!self->accepts(token)) return;
    lua_pushboolean(self->thread(), !ec);
    self->resume(1);
  });
  return lua_yield(L, 0);
}

int l_now(lua_State* L) {
  auto& env = environment_of(L);
  lua_pushnumber(L, env.ms_since_start(transport::clock::now()));
  return 1;
}

std::string detail_text(lua_State* L, int idx) {
  if (lua_isnoneornil(L, idx)) return {};
  if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER) return lua_tostring(L, idx);
  std::string out, error;
  if (encode_lua_value(L, idx, out, &error)) return out;
  return luaL_tolstring(L, idx, nullptr);
}

// check(name, condition, detail) -> condition
int l_check(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  bool ok = lua_toboolean(L, 2);
  auto& env = environment_of(L);
  env.rec.add_check(name, ok, ok ? std::string_view{} : std::string_view(detail_text(L, 3)));
  lua_pushboolean(L, ok);
  return 1;
}

int l_log(lua_State* L) {
  auto& env = environment_of(L);
  if (env.quiet) return 0;
  std::string line;
  int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    if (i > 1) line += ' ';
    std::size_t len;
    const char* s = luaL_tolstring(L, i, &len);
    line.append(s, len);
    lua_pop(L, 1);
  }
  client* c = client::from(L);
  std::lock_guard lock(log_mutex);
  line = protocols::redact_log(line);  // tokens stay out of logs unless --show-secrets
  if (c) std::fprintf(stderr, "[client %d] %s\n", c->id(), line.c_str());
  else std::fprintf(stderr, "[scenario] %s\n", line.c_str());
  return 0;
}

int l_metric_trend(lua_State* L) {
  bool caught = false;
  const char* name = luaL_checkstring(L, 1);
  double v = luaL_checknumber(L, 2);
  auto unit = metrics::value_unit::milliseconds;
  if (lua_istable(L, 3)) {
    lua_getfield(L, 3, "unit");
    if (lua_type(L, -1) == LUA_TSTRING) {
      std::string u = lua_tostring(L, -1);
      if (u == "ms") unit = metrics::value_unit::milliseconds;
      else if (u == "bytes") unit = metrics::value_unit::bytes;
      else if (u == "" || u == "none") unit = metrics::value_unit::none;
      else luaL_error(L, "metrics.trend: unit must be \"ms\", \"bytes\" or \"none\", not \"%s\"", u.c_str());
    }
    lua_pop(L, 1);
  }
  try {
    environment_of(L).rec.trend(name, unit).add(v);
  } catch (const std::exception& e) {
    lua_pushfstring(L, "metrics.trend(\"%s\"): %s", name, e.what());
    caught = true;
  }
  return caught ? lua_error(L) : 0;  // raised outside the catch: lua_error longjmps
}

int l_metric_counter(lua_State* L) {
  bool caught = false;
  const char* name = luaL_checkstring(L, 1);
  double v = luaL_optnumber(L, 2, 1);
  try {
    environment_of(L).rec.counter(name).total += v;
  } catch (const std::exception& e) {
    lua_settop(L, 2);
    lua_pushfstring(L, "metrics.counter(\"%s\"): %s", name, e.what());
    caught = true;
  }
  return caught ? lua_error(L) : 0;  // raised outside the catch: lua_error longjmps
}

int l_metric_rate(lua_State* L) {
  bool caught = false;
  const char* name = luaL_checkstring(L, 1);
  try {
    environment_of(L).rec.add_rate(name, lua_toboolean(L, 2));
  } catch (const std::exception& e) {
    lua_settop(L, 2);
    lua_pushfstring(L, "metrics.rate(\"%s\"): %s", name, e.what());
    caught = true;
  }
  return caught ? lua_error(L) : 0;  // raised outside the catch: lua_error longjmps
}

int l_metric_gauge(lua_State* L) {
  bool caught = false;
  const char* name = luaL_checkstring(L, 1);
  double v = luaL_checknumber(L, 2);
  try {
    environment_of(L).rec.set_gauge(name, v);
  } catch (const std::exception& e) {
    lua_settop(L, 2);
    lua_pushfstring(L, "metrics.gauge(\"%s\"): %s", name, e.what());
    caught = true;
  }
  return caught ? lua_error(L) : 0;  // raised outside the catch: lua_error longjmps
}

// vu.id, vu.iteration, vu.worker, vu.running(): resolved for the calling coroutine.
int l_vu_running(lua_State* L) {
  const client* c = client::from(L);  // a client retired by a ramp down stops like at the run's end
  lua_pushboolean(L, !environment_of(L).stopping && !(c && c->retiring()));
  return 1;
}

int l_vu_index(lua_State* L) {
  std::string key = luaL_checkstring(L, 2);
  client* c = client::from(L);
  if (key == "id") {
    if (c) lua_pushinteger(L, c->id());
    else lua_pushnil(L);
  } else if (key == "iteration") {
    if (c) lua_pushinteger(L, c->iteration());
    else lua_pushnil(L);
  } else if (key == "worker") {
    lua_pushinteger(L, environment_of(L).worker_index);
  } else if (key == "running") {
    lua_pushcfunction(L, l_vu_running);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

// report_case(table): a conformance case's result (plain data) for the result document.
int l_report_case(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  auto& env = environment_of(L);
  bool encoded;
  {
    std::string out, error;  // gone before lua_error longjmps
    encoded = encode_lua_value(L, 1, out, &error);
    if (!encoded) lua_pushfstring(L, "report_case: %s", error.c_str());
    else if (env.case_results) env.case_results->push_back(std::move(out));
  }
  return encoded ? 0 : lua_error(L);
}

void install_env_table(lua_State* L, const std::map<std::string, std::string>& env) {
  lua_createtable(L, 0, static_cast<int>(env.size()));
  for (const auto& [k, v] : env) {
    lua_pushlstring(L, v.data(), v.size());
    lua_setfield(L, -2, k.c_str());
  }
  lua_setglobal(L, "env");
}

// DROVER_ROOT: where scenarios/ and schemas/ live, for suites that read protocol.json.
// The command resolved the data root before any Lua state exists (and failed with a usage
// error if there is none), so a failure here only leaves the global nil: this also runs on
// worker threads, where an exception must not escape.
void install_root(lua_State* L) {
  try {
    lua_pushstring(L, data_root().c_str());
  } catch (const std::exception&) {
    lua_pushnil(L);
  }
  lua_setglobal(L, "DROVER_ROOT");
}

}  // namespace

client_environment& environment_of(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &env_key);
  auto* env = static_cast<client_environment*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  if (!env) luaL_error(L, "this function is only available while a run is in progress");
  return *env;
}

void install_api(lua_State* L, client_environment& env) {
  *static_cast<client**>(lua_getextraspace(L)) = nullptr;
  lua_pushlightuserdata(L, &env);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &env_key);

  install_json_api(L);
  install_ws_api(L);
  install_http_api(L);
  install_env_table(L, env.env);
  install_env_command(L, env.env);
  install_root(L);

  lua_register(L, "sleep", l_sleep);
  lua_register(L, "now", l_now);
  lua_register(L, "check", l_check);
  lua_register(L, "log", l_log);
  lua_register(L, "report_case", l_report_case);

  static const luaL_Reg metric_functions[] = {{"trend", l_metric_trend},
                                              {"counter", l_metric_counter},
                                              {"rate", l_metric_rate},
                                              {"gauge", l_metric_gauge},
                                              {nullptr, nullptr}};
  luaL_newlib(L, metric_functions);
  lua_setglobal(L, "metrics");

  lua_newtable(L);                 // vu
  lua_createtable(L, 0, 1);        // its metatable
  lua_pushcfunction(L, l_vu_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "vu");
}

void install_control_api(lua_State* L, const std::map<std::string, std::string>& env) {
  *static_cast<client**>(lua_getextraspace(L)) = nullptr;
  install_json_api(L);
  install_control_ws_api(L);
  install_control_http_api(L);
  install_env_table(L, env);
  install_env_command(L, env);
  install_root(L);
  lua_register(L, "log", [](lua_State* L) -> int {
    std::string line;
    for (int i = 1; i <= lua_gettop(L); ++i) {
      if (i > 1) line += ' ';
      line += luaL_tolstring(L, i, nullptr);
      lua_pop(L, 1);
    }
    line = protocols::redact_log(line);
    std::lock_guard lock(log_mutex);
    std::fprintf(stderr, "[scenario] %s\n", line.c_str());
    return 0;
  });
}

}  // namespace drover::scenario
