#pragma once
// JSON <-> Lua values. Objects and arrays become tables; arrays carry the json.array
// metatable so that an empty array survives a round trip; null is the json.null sentinel.
// Lua -> JSON: a table with the array metatable, or a non-empty sequence 1..n, is an array;
// any other table is an object (integer keys become strings); NaN/inf, functions,
// userdata and cycles are errors.
// Runs on the thread that owns L.
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <lua.hpp>

namespace drover::scenario {

// Registers the array metatable and the null sentinel in L (once per state).
void register_json_support(lua_State* L);

// Pushes v. Never fails (except Lua memory errors).
void push_json(lua_State* L, const boost::json::value& v);

// Parses text and pushes the result. Returns false (pushing nothing) when text is not JSON;
// error gets the parser's reason.
bool push_json_text(lua_State* L, std::string_view text, std::string* error);

// Encodes the value at idx as compact JSON into out. Returns false with a reason naming
// the offending path ("$.items[3]: cannot encode a function") when it cannot.
bool encode_lua_value(lua_State* L, int idx, std::string& out, std::string* error);

// Pushes the json.null sentinel / checks for it.
void push_json_null(lua_State* L);
bool is_json_null(lua_State* L, int idx);

// Pushes the json.array metatable.
void push_array_metatable(lua_State* L);

}  // namespace drover::scenario
