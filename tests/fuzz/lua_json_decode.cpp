// Fuzz target: `json.decode` as a scenario calls it (harness/scenario/lua_json.cpp), on
// arbitrary bytes, through the Lua API under pcall. Contract: a value, or nil plus an error
// string; never a Lua error. What decodes is handed to json.encode, which must succeed
// (raising an error is its contract for
// what cannot be encoded) unless the document holds a number beyond a double's range.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <lua.hpp>

#include "harness/scenario/lua_api.hpp"

namespace {

// Lua side of the target: the same calls a scenario makes.
const char* const script = R"lua(
local text = ...
local ok, value, err = pcall(json.decode, text)
if not ok then error("json.decode raised: " .. tostring(value)) end
if value == nil then
  if type(err) ~= "string" or err == "" then error("json.decode returned nil without a reason") end
  return
end
local function non_finite(v)
  if type(v) == "number" then return v ~= v or v == math.huge or v == -math.huge end
  if type(v) == "table" then
    for _, item in pairs(v) do if non_finite(item) then return true end end
  end
  return false
end
local encoded_ok, encoded = pcall(json.encode, value)
if not encoded_ok then
  if not non_finite(value) then error("json.encode refused a decoded value: " .. tostring(encoded)) end
  if not tostring(encoded):find("NaN or infinity", 1, true) then error("json.encode gave another reason: " .. tostring(encoded)) end
  return
end
local again = json.decode(encoded)
if again == nil then error("json.decode refused json.encode's output: " .. encoded) end
)lua";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static lua_State* L = [] {
    lua_State* s = luaL_newstate();
    luaL_openlibs(s);
    drover::scenario::install_json_api(s);
    if (luaL_loadstring(s, script) != LUA_OK) {
      std::fprintf(stderr, "lua_json_decode: %s\n", lua_tostring(s, -1));
      std::abort();
    }
    lua_setglobal(s, "fuzz_one");
    return s;
  }();
  lua_getglobal(L, "fuzz_one");
  lua_pushlstring(L, reinterpret_cast<const char*>(data), size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    std::fprintf(stderr, "lua_json_decode: %s\n", lua_tostring(L, -1));
    std::abort();
  }
  lua_settop(L, 0);
  return 0;
}
