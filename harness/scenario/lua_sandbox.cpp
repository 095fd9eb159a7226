#include "harness/scenario/lua_sandbox.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

// Every C function here may raise (luaL_error longjmps): none keeps a C++ object with a
// destructor in its frame; strings are built in luaL_Buffers, which Lua owns.
namespace drover::scenario {

namespace {

int raise_refused(lua_State* L, const char* what, const char* why) {
  return luaL_error(L,
                    "%s is disabled in scenarios (%s): a scenario may not run processes or write files unless drover "
                    "runs with %s",
                    what, why, unsafe_lua_flag);
}

// Upvalues: 1 the function's name, 2 why it is refused.
int l_refused(lua_State* L) {
  return raise_refused(L, lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, lua_upvalueindex(2)));
}

void refuse_field(lua_State* L, int table, const char* library, const char* field, const char* why) {
  table = lua_absindex(L, table);
  lua_pushfstring(L, "%s.%s", library, field);
  lua_pushstring(L, why);
  lua_pushcclosure(L, l_refused, 2);
  lua_setfield(L, table, field);
}

// Calls upvalue 1 (the original function) with this call's arguments and returns its results.
int call_original(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// io.open(path[, mode]): reading only.
int l_open_for_reading(lua_State* L) {
  const char* mode = luaL_optstring(L, 2, "r");
  if (std::strcmp(mode, "r") != 0 && std::strcmp(mode, "rb") != 0) {
    lua_pushfstring(L, "io.open with mode \"%s\"", mode);
    return raise_refused(L, lua_tostring(L, -1), "only \"r\" and \"rb\" read files");
  }
  return call_original(L);
}

// io.output([file]): a file name would open (and truncate) that file for writing.
int l_output_without_files(lua_State* L) {
  if (lua_type(L, 1) == LUA_TSTRING) return raise_refused(L, "io.output(filename)", "it opens the file for writing");
  return call_original(L);
}

// load / loadfile with the mode argument at `mode_arg` forced to "t".
int text_only(lua_State* L, int mode_arg, const char* name) {
  const char* mode = luaL_optstring(L, mode_arg, "t");
  if (std::strchr(mode, 'b')) {
    lua_pushfstring(L, "%s of binary chunks", name);
    return raise_refused(L, lua_tostring(L, -1), "crafted bytecode escapes the sandbox");
  }
  // Arguments after the mode keep their presence (load tells a nil env from a missing one).
  if (lua_gettop(L) < mode_arg) lua_settop(L, mode_arg);
  lua_pushliteral(L, "t");
  lua_replace(L, mode_arg);
  return call_original(L);
}

int l_load_text(lua_State* L) { return text_only(L, 3, "load"); }
int l_loadfile_text(lua_State* L) { return text_only(L, 2, "loadfile"); }

int dofile_continue(lua_State* L, int, lua_KContext) { return lua_gettop(L) - 1; }

// dofile([filename]) as Lua's, loading text only.
int l_dofile_text(lua_State* L) {
  const char* name = luaL_optstring(L, 1, nullptr);
  lua_settop(L, 1);
  if (luaL_loadfilex(L, name, "t") != LUA_OK) return lua_error(L);
  lua_callk(L, 0, LUA_MULTRET, 0, dofile_continue);
  return dofile_continue(L, 0, 0);
}

void wrap_field(lua_State* L, const char* table, const char* field, lua_CFunction wrapper) {
  if (table) lua_getglobal(L, table);
  else lua_pushglobaltable(L);
  lua_getfield(L, -1, field);
  lua_pushcclosure(L, wrapper, 1);
  lua_setfield(L, -2, field);
  lua_pop(L, 1);
}

// debug.<anything> raises: the library can rewrite any function's upvalues and locals.
int l_debug_index(lua_State* L) {
  lua_pushfstring(L, "debug.%s", luaL_optstring(L, 2, "?"));
  return raise_refused(L, lua_tostring(L, -1), "the debug library reaches into every function");
}

void replace_debug(lua_State* L) {
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, l_debug_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "debug");
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_insert(L, -2);
  lua_setfield(L, -2, "debug");
  lua_pop(L, 1);
}

void restrict_package(lua_State* L) {
  lua_getglobal(L, "package");
  refuse_field(L, -1, "package", "loadlib", "it loads native code");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  // searchers: 1 preload, 2 Lua files, 3 C libraries, 4 C all-in-one; keep the first two.
  lua_getfield(L, -1, "searchers");
  for (lua_Integer i = static_cast<lua_Integer>(luaL_len(L, -1)); i > 2; --i) {
    lua_pushnil(L);
    lua_rawseti(L, -2, i);
  }
  lua_pop(L, 2);
}

// Shell-quotes s into b: 'it'\''s'.
void add_quoted(luaL_Buffer* b, const char* s) {
  luaL_addchar(b, '\'');
  for (; *s; ++s) {
    if (*s == '\'') luaL_addstring(b, "'\\''");
    else luaL_addchar(b, *s);
  }
  luaL_addchar(b, '\'');
}

bool ends_with_cmd(const char* name) {
  std::size_t n = std::strlen(name);
  return n > 4 && std::strcmp(name + n - 4, "_CMD") == 0;
}

// env_command(NAME, arg...) -> output, exit_code | nil, message. Upvalue 1: NAME -> command.
int l_env_command(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  if (!ends_with_cmd(name))
    return luaL_error(L, "env_command(\"%s\"): only commands given as --env NAME_CMD=... run (names end in _CMD)", name);
  int nargs = lua_gettop(L);
  for (int i = 2; i <= nargs; ++i) luaL_checkstring(L, i);
  lua_getfield(L, lua_upvalueindex(1), name);
  if (!lua_isstring(L, -1)) {
    lua_pushnil(L);
    lua_pushfstring(L, "no %s was given (drover ... --env %s=COMMAND)", name, name);
    return 2;
  }
  luaL_Buffer command;
  luaL_buffinit(L, &command);
  luaL_addstring(&command, lua_tostring(L, nargs + 1));
  for (int i = 2; i <= nargs; ++i) {
    luaL_addchar(&command, ' ');
    add_quoted(&command, lua_tostring(L, i));
  }
  luaL_pushresult(&command);
  std::fflush(nullptr);  // as io.popen: our buffered output must not interleave with the child's
  FILE* pipe = ::popen(lua_tostring(L, -1), "r");
  if (!pipe) {
    int error = errno;
    lua_pushnil(L);
    lua_pushfstring(L, "cannot run %s `%s`: %s", name, lua_tostring(L, -2), std::strerror(error));
    return 2;
  }
  luaL_Buffer output;
  luaL_buffinit(L, &output);
  for (;;) {
    char* at = luaL_prepbuffer(&output);
    std::size_t got = std::fread(at, 1, LUAL_BUFFERSIZE, pipe);
    luaL_addsize(&output, got);
    if (got == 0) break;
  }
  int status = ::pclose(pipe);
  luaL_pushresult(&output);
  if (status == -1) lua_pushinteger(L, -1);
  else if (WIFSIGNALED(status)) lua_pushinteger(L, 128 + WTERMSIG(status));
  else lua_pushinteger(L, WEXITSTATUS(status));
  return 2;
}

}  // namespace

void apply_lua_policy(lua_State* L, lua_policy policy) {
  if (policy == lua_policy::unsafe) return;
  lua_getglobal(L, "os");
  refuse_field(L, -1, "os", "execute", "it runs a process");
  refuse_field(L, -1, "os", "remove", "it deletes files");
  refuse_field(L, -1, "os", "rename", "it moves files");
  refuse_field(L, -1, "os", "exit", "it ends drover without a report");
  refuse_field(L, -1, "os", "tmpname", "it creates a file");
  lua_pop(L, 1);
  lua_getglobal(L, "io");
  refuse_field(L, -1, "io", "popen", "it runs a process");
  refuse_field(L, -1, "io", "tmpfile", "it creates a file");
  lua_pop(L, 1);
  wrap_field(L, "io", "open", l_open_for_reading);
  wrap_field(L, "io", "output", l_output_without_files);
  wrap_field(L, nullptr, "load", l_load_text);
  wrap_field(L, nullptr, "loadfile", l_loadfile_text);
  lua_register(L, "dofile", l_dofile_text);
  restrict_package(L);
  replace_debug(L);
}

void install_env_command(lua_State* L, const std::map<std::string, std::string>& env) {
  lua_newtable(L);
  for (const auto& [name, command] : env) {
    if (!ends_with_cmd(name.c_str())) continue;
    lua_pushlstring(L, command.data(), command.size());
    lua_setfield(L, -2, name.c_str());
  }
  lua_pushcclosure(L, l_env_command, 1);
  lua_setglobal(L, "env_command");
}

}  // namespace drover::scenario
