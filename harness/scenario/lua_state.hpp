#pragma once
// Owning wrapper around a lua_State with the standard libraries opened and restricted by a
// lua_policy (lua_sandbox.hpp: sandboxed unless --allow-unsafe-lua). One per worker (and one
// control state for options/setup/teardown, under the same policy); a lua_State is only ever
// touched by the thread that owns it.
#include <string>

#include <lua.hpp>

#include "harness/scenario/lua_sandbox.hpp"

namespace drover::scenario {

class lua_state {
 public:
  explicit lua_state(lua_policy policy = lua_policy::sandboxed);
  ~lua_state();
  lua_state(const lua_state&) = delete;
  lua_state& operator=(const lua_state&) = delete;

  lua_State* get() const { return L_; }

  // Loads and runs a scenario file at top level. Throws scenario_error with Lua's message
  // (file:line: ...) and a traceback when it fails to load or run.
  void run_file(const std::string& path);

  // Adds DIR/?.lua to package.path (scenarios/lib is added by the runner).
  void add_module_path(const std::string& dir);

 private:
  lua_State* L_;
};

// luaL_traceback-based message handler for lua_pcall: turns an error into "message\nstack traceback:...".
int traceback_handler(lua_State* L);

// Calls the function on top of the stack (with nargs arguments below it) under the traceback handler.
// Throws scenario_error with what (e.g. "setup()") and the traceback on failure.
void protected_call(lua_State* L, int nargs, int nresults, const char* what);

}  // namespace drover::scenario
