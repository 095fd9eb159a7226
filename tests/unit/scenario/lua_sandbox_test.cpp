// The Lua sandbox: by default a scenario cannot run processes or write files (each refused
// function raises an error naming --allow-unsafe-lua); reading files works; with
// lua_policy::unsafe the standard functions are back; env_command runs only user-given commands.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/runner/control_script.hpp"
#include "harness/scenario/lua_sandbox.hpp"
#include "harness/scenario/lua_state.hpp"

namespace drover::scenario {
namespace {

namespace fs = std::filesystem;

struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("drover-sandbox-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
  std::string file(const std::string& name, const std::string& text) {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

// Runs `chunk` (with the global DIR set) and returns "ok:<result>" or "error:<message>".
std::string run(lua_State* L, const std::string& chunk, const std::string& dir = "") {
  lua_pushstring(L, dir.c_str());
  lua_setglobal(L, "DIR");
  if (luaL_loadstring(L, chunk.c_str()) != LUA_OK) return "load:" + std::string(lua_tostring(L, -1));
  int status = lua_pcall(L, 0, 1, 0);
  std::string text = luaL_tolstring(L, -1, nullptr);
  lua_pop(L, 2);
  return (status == LUA_OK ? "ok:" : "error:") + text;
}

// Each call that runs a process, writes, deletes or creates a file, leaves drover, loads native
// code or reaches into functions, with the name its error must give.
const std::map<std::string, std::string> forbidden_calls = {
    {"os.execute", "os.execute('true')"},
    {"os.remove", "os.remove(DIR .. '/keep.txt')"},
    {"os.rename", "os.rename(DIR .. '/keep.txt', DIR .. '/moved.txt')"},
    {"os.exit", "os.exit(3)"},
    {"os.tmpname", "os.tmpname()"},
    {"io.popen", "io.popen('echo hi')"},
    {"io.tmpfile", "io.tmpfile()"},
    {"io.open with mode \"w\"", "io.open(DIR .. '/new.txt', 'w')"},
    {"io.open with mode \"a\"", "io.open(DIR .. '/keep.txt', 'a')"},
    {"io.open with mode \"r+\"", "io.open(DIR .. '/keep.txt', 'r+')"},
    {"io.open with mode \"wb\"", "io.open(DIR .. '/new.txt', 'wb')"},
    {"io.output(filename)", "io.output(DIR .. '/new.txt')"},
    {"package.loadlib", "package.loadlib('libc.so.6', 'puts')"},
    {"debug.getinfo", "debug.getinfo(1)"},
    {"debug.sethook", "require('debug').sethook()"},
    {"load of binary chunks", "load(string.dump(function() end), 'x', 'b')"},
    {"loadfile of binary chunks", "loadfile(DIR .. '/keep.txt', 'bt')"},
};

TEST(LuaSandbox, EveryForbiddenCallIsRefusedNamingTheFlag) {
  temp_dir dir;
  std::string keep = dir.file("keep.txt", "kept");
  lua_state lua;
  for (const auto& [name, call] : forbidden_calls) {
    std::string result = run(lua.get(), call, dir.path.string());
    EXPECT_EQ(result.rfind("error:", 0), 0u) << call << " gave " << result;
    EXPECT_NE(result.find(name + " is disabled in scenarios"), std::string::npos) << result;
    EXPECT_NE(result.find("--allow-unsafe-lua"), std::string::npos) << result;
  }
  // Nothing was written, moved or created.
  std::ifstream in(keep);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "kept");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}), 1);
}

TEST(LuaSandbox, UnsafePolicyGivesBackTheStandardFunctions) {
  temp_dir dir;
  dir.file("keep.txt", "kept");
  lua_state lua(lua_policy::unsafe);
  for (const auto& [name, call] : forbidden_calls) {
    if (name == "os.exit") continue;  // would end the test; checked below without calling it
    std::string real_call = name == "os.tmpname" ? "os.remove(os.tmpname())" : call;  // leave no file behind
    std::string result = run(lua.get(), "return tostring((" + real_call + "))", dir.path.string());
    EXPECT_EQ(result.find("is disabled"), std::string::npos) << call << " gave " << result;
  }
  EXPECT_EQ(run(lua.get(), "local p = io.popen('echo hi'); local l = p:read('l'); p:close(); return l"), "ok:hi");
  EXPECT_EQ(run(lua.get(), "local f = assert(io.open(DIR .. '/w.txt', 'w')); f:write('x'); f:close(); "
                           "return io.open(DIR .. '/w.txt'):read('a')",
                dir.path.string()),
            "ok:x");
  EXPECT_EQ(run(lua.get(), "return (debug.getupvalue(os.exit, 1))"), "ok:nil");  // Lua's own, not a stub
  EXPECT_EQ(run(lua.get(), "return #package.searchers"), "ok:4");
}

TEST(LuaSandbox, ReadingFilesStillWorks) {
  temp_dir dir;
  dir.file("data.txt", "one\ntwo\n");
  lua_state lua;
  const std::string d = dir.path.string();
  EXPECT_EQ(run(lua.get(), "return assert(io.open(DIR .. '/data.txt')):read('a')", d), "ok:one\ntwo\n");
  EXPECT_EQ(run(lua.get(), "return assert(io.open(DIR .. '/data.txt', 'rb')):read('l')", d), "ok:one");
  EXPECT_EQ(run(lua.get(), "local n = 0; for l in io.lines(DIR .. '/data.txt') do n = n + 1 end; return n", d),
            "ok:2");
  EXPECT_EQ(run(lua.get(), "io.input(DIR .. '/data.txt'); return io.read('l')", d), "ok:one");
  EXPECT_EQ(run(lua.get(), "return assert(io.open('/proc/self/status')):read('l'):match('^Name:') ~= nil"),
            "ok:true");
  // A file opened for reading cannot be written through.
  EXPECT_EQ(run(lua.get(), "local f = io.open(DIR .. '/data.txt'); return f:write('x') ~= nil", d),
            "ok:false");
  EXPECT_EQ(run(lua.get(), "return io.type(io.output())"), "ok:file");  // the console stays writable
  EXPECT_EQ(run(lua.get(), "return os.getenv('PATH') ~= nil"), "ok:true");
}

TEST(LuaSandbox, TextChunksAndLuaModulesStillLoad) {
  temp_dir dir;
  dir.file("mod.lua", "return {answer = 42}");
  dir.file("chunk.lua", "return 7");
  lua_state lua;
  lua.add_module_path(dir.path.string());
  const std::string d = dir.path.string();
  EXPECT_EQ(run(lua.get(), "return load('return 1 + 1')()"), "ok:2");
  EXPECT_EQ(run(lua.get(), "local x = 5; return load('return x', 'c', 't', {x = 9})()"), "ok:9");
  EXPECT_EQ(run(lua.get(), "return loadfile(DIR .. '/chunk.lua')()", d), "ok:7");
  EXPECT_EQ(run(lua.get(), "return dofile(DIR .. '/chunk.lua')", d), "ok:7");
  EXPECT_EQ(run(lua.get(), "return require('mod').answer"), "ok:42");
  // A binary chunk without an explicit mode is refused by Lua itself (mode forced to "t").
  EXPECT_NE(run(lua.get(), "return select(2, load(string.dump(function() end)))").find("binary chunk"),
            std::string::npos);
  // No C module can be found: only the preload and Lua searchers remain, and cpath is empty.
  EXPECT_EQ(run(lua.get(), "return #package.searchers .. '|' .. package.cpath"), "ok:2|");
}

TEST(LuaSandbox, EnvCommandRunsOnlyCommandsTheUserGave) {
  lua_state lua;
  install_env_command(lua.get(), {{"ECHO_CMD", "printf '%s|'"}, {"FAIL_CMD", "exit 3"}, {"TARGET", "echo no"}});
  EXPECT_EQ(run(lua.get(), "local out, code = env_command('ECHO_CMD', 'a b', \"it's\", '$HOME;x'); "
                           "return out .. code"),
            "ok:a b|it's|$HOME;x|0");
  EXPECT_EQ(run(lua.get(), "local out, code = env_command('FAIL_CMD'); return out .. code"), "ok:3");
  EXPECT_EQ(run(lua.get(), "local out, why = env_command('TOKEN_CMD'); return tostring(out) .. ' ' .. why"),
            "ok:nil no TOKEN_CMD was given (drover ... --env TOKEN_CMD=COMMAND)");
  // Not a _CMD name: a programming error, raised.
  EXPECT_NE(run(lua.get(), "return env_command('TARGET')").find("error:"), std::string::npos);
  // Rewriting the Lua env table changes nothing: the commands were captured in C++.
  EXPECT_EQ(run(lua.get(), "env = {ECHO_CMD = 'echo pwned'}; return (env_command('ECHO_CMD', 'z'))"), "ok:z|");
}

TEST(LuaSandbox, ControlStateFollowsTheSamePolicy) {
  temp_dir dir;
  std::string script = dir.file("s.lua", "os.execute('true')\nfunction client() end\n");
  try {
    runner::control_script control(script, {});
    ADD_FAILURE() << "os.execute ran at the control state's top level";
  } catch (const scenario_error& e) {
    EXPECT_NE(std::string(e.what()).find("os.execute is disabled"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--allow-unsafe-lua"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(runner::control_script(script, {}, lua_policy::unsafe));
  std::string setup = dir.file("t.lua", "function client() end\nfunction setup() return env_command('X_CMD', 'v') end\n");
  runner::control_script control(setup, {{"X_CMD", "printf %s"}});
  EXPECT_EQ(control.run_setup(), "\"v\"");
}

}  // namespace
}  // namespace drover::scenario
