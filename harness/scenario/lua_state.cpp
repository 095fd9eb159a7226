#include "harness/scenario/lua_state.hpp"

#include "harness/common/error.hpp"

namespace drover::scenario {

lua_state::lua_state(lua_policy policy) : L_(luaL_newstate()) {
  if (!L_) throw std::bad_alloc();
  luaL_openlibs(L_);
  apply_lua_policy(L_, policy);
}

lua_state::~lua_state() { lua_close(L_); }

int traceback_handler(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

void protected_call(lua_State* L, int nargs, int nresults, const char* what) {
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, traceback_handler);
  lua_insert(L, base);
  int status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  if (status != LUA_OK) {
    std::string message = lua_tostring(L, -1) ? lua_tostring(L, -1) : "unknown Lua error";
    lua_pop(L, 1);
    throw scenario_error(std::string(what) + " failed: " + message);
  }
}

void lua_state::run_file(const std::string& path) {
  int status = luaL_loadfilex(L_, path.c_str(), "t");
  if (status != LUA_OK) {
    std::string message = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "unknown error";
    lua_pop(L_, 1);
    if (status == LUA_ERRFILE) throw file_error("cannot read scenario: " + message);
    throw scenario_error("cannot load scenario: " + message);
  }
  protected_call(L_, 0, 0, ("running " + path).c_str());
}

void lua_state::add_module_path(const std::string& dir) {
  lua_getglobal(L_, "package");
  lua_getfield(L_, -1, "path");
  std::string path = dir + "/?.lua;" + (lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "");
  lua_pop(L_, 1);
  lua_pushstring(L_, path.c_str());
  lua_setfield(L_, -2, "path");
  lua_pop(L_, 1);
}

}  // namespace drover::scenario
