#pragma once
// What a scenario may do outside drover's API. Scenarios are code that teammates share, so by
// default (lua_policy::sandboxed) a scenario cannot run processes or write files:
//   os.execute, os.remove, os.rename, os.exit, os.tmpname, io.popen, io.tmpfile,
//   io.open with a mode other than "r"/"rb", io.output(filename), package.loadlib and
//   debug.* raise a Lua error naming --allow-unsafe-lua;
//   C modules cannot be required (package.cpath is empty, only the preload and Lua searchers
//   remain), and load/loadfile/dofile accept only text chunks (crafted bytecode can break
//   out of any Lua sandbox).
// Reading stays allowed: io.open(path[, "r"|"rb"]), io.lines, io.input, io.read, os.getenv,
// os.time/clock/date; writing to the console (io.write, io.stdout, io.stderr) too.
// lua_policy::unsafe (--allow-unsafe-lua) leaves the standard libraries as Lua opens them.
//
// Commands the user named on the command line are not the scenario's doing:
// env_command(NAME, arg...) runs the command of `--env NAME=COMMAND` (NAME ends in _CMD;
// `drover conform --token-cmd CMD` sets TOKEN_CMD) with each arg shell-quoted, under either
// policy, and returns its whole standard output and exit code (128+N when killed by signal N),
// or nil and a message when NAME was not given or the command could not be started. The
// command table is captured in C++ when the API is installed: editing the Lua `env` table
// does not change what runs.
#include <map>
#include <string>

#include <lua.hpp>

namespace drover::scenario {

enum class lua_policy { sandboxed, unsafe };

// Applies the policy to a state whose standard libraries are open (lua_state does it).
void apply_lua_policy(lua_State* L, lua_policy policy);

// Installs the global env_command for the `_CMD` entries of env (--env KEY=VALUE).
void install_env_command(lua_State* L, const std::map<std::string, std::string>& env);

// The flag that lifts the sandbox, as error messages and documents name it.
inline constexpr const char* unsafe_lua_flag = "--allow-unsafe-lua";

}  // namespace drover::scenario
