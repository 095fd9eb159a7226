#include "harness/scenario/lua_options.hpp"

#include "harness/common/url.hpp"

namespace drover::scenario {

bool read_headers_field(lua_State* L, int opts, const char* fn, name_values& out) {
  lua_getfield(L, opts, "headers");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) != LUA_TSTRING) {
        lua_pop(L, 3);
        lua_pushfstring(L, "%s: headers must be name = value", fn);
        return false;
      }
      std::string name = lua_tostring(L, -2);  // before luaL_tolstring pushes: -2 moves
      out.emplace_back(std::move(name), luaL_tolstring(L, -1, nullptr));
      lua_pop(L, 2);
    }
  }
  lua_pop(L, 1);
  return true;
}

void read_query_field(lua_State* L, int opts, std::string& target) {
  lua_getfield(L, opts, "query");
  if (lua_istable(L, -1)) {
    name_values params;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      params.emplace_back(luaL_tolstring(L, -2, nullptr), "");
      lua_pop(L, 1);
      params.back().second = luaL_tolstring(L, -1, nullptr);
      lua_pop(L, 2);
    }
    target = append_query(std::move(target), params);
  }
  lua_pop(L, 1);
}

}  // namespace drover::scenario
