// The `json` global: encode, decode, null, array.
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_api.hpp"

namespace drover::scenario {

namespace {

// lua_error longjmps: C++ objects must be gone before it is raised, or their memory leaks.
int l_encode(lua_State* L) {
  luaL_checkany(L, 1);
  bool ok;
  {
    std::string out, error;
    ok = encode_lua_value(L, 1, out, &error);
    // pushlstring, not pushfstring's %s: the path may hold a key with a NUL byte (tests/fuzz).
    if (!ok) out = "json.encode: " + error;
    lua_pushlstring(L, out.data(), out.size());
  }
  return ok ? 1 : lua_error(L);
}

// json.decode(text) -> value | nil, error  (a bad document is the caller's data, not a crash)
int l_decode(lua_State* L) {
  std::size_t len;
  const char* text = luaL_checklstring(L, 1, &len);
  std::string error;
  if (!push_json_text(L, std::string_view(text, len), &error)) {
    lua_pushnil(L);
    lua_pushstring(L, ("invalid JSON: " + error).c_str());
    return 2;
  }
  return 1;
}

// json.array(t?) marks t (or a new table) as a JSON array, so that {} encodes as [].
int l_array(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    lua_newtable(L);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
  }
  push_array_metatable(L);
  lua_setmetatable(L, -2);
  return 1;
}

}  // namespace

void install_json_api(lua_State* L) {
  register_json_support(L);
  static const luaL_Reg functions[] = {{"encode", l_encode}, {"decode", l_decode}, {"array", l_array}, {nullptr, nullptr}};
  luaL_newlib(L, functions);
  push_json_null(L);
  lua_setfield(L, -2, "null");
  lua_setglobal(L, "json");
}

}  // namespace drover::scenario
