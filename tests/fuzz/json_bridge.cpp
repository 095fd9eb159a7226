// Fuzz target: the JSON -> Lua bridge (harness/scenario/json_bridge.*). Arbitrary bytes are
// decoded into a lua_State; whatever decodes must encode back, and that text must decode to
// the same value again (numbers compared by value: a uint64 above INT64_MAX becomes a float).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <lua.hpp>

#include "harness/scenario/json_bridge.hpp"

namespace {

namespace json = boost::json;
using drover::scenario::encode_lua_value;
using drover::scenario::push_json_text;

// Boost.JSON 1.81 does not round every decimal to the nearest double (it reads
// "1.8446744073709186e+39" one ulp low; exact parsing came in 1.83), while the encoder
// prints the shortest exact text. So a double may move by an ulp or two per round trip:
// that is allowed, anything more is not. Integers that fit a Lua integer come back exactly.
bool same_number(const json::value& a, const json::value& b) {
  // A uint64 above INT64_MAX becomes a Lua float (json_bridge.hpp): compared as doubles.
  if (!a.is_double() && !b.is_double() && !a.is_uint64() && !b.is_uint64()) return a == b;
  const double x = a.to_number<double>(), y = b.to_number<double>();
  if (x == y) return true;
  return std::fabs(x - y) <= 1e-15 * std::fmax(std::fabs(x), std::fabs(y)) || std::fabs(x - y) <= 1e-320;
}

bool same_value(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return same_number(a, b);
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same_value(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const json::value* other = y.if_contains(kv.key());
      if (!other || !same_value(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

bool has_non_finite(const json::value& v) {
  if (v.is_double()) return !std::isfinite(v.get_double());
  if (v.is_array())
    for (const auto& item : v.get_array())
      if (has_non_finite(item)) return true;
  if (v.is_object())
    for (const auto& kv : v.get_object())
      if (has_non_finite(kv.value())) return true;
  return false;
}

[[noreturn]] void fail(const char* what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "json_bridge: %s\n  first:  %.*s\n  second: %.*s\n", what, static_cast<int>(a.size()), a.data(),
               static_cast<int>(b.size()), b.data());
  std::abort();
}

// decode -> encode, on L's stack; returns false when the text is not JSON.
bool round_trip(lua_State* L, std::string_view text, std::string& encoded, std::string& error) {
  int top = lua_gettop(L);
  if (!push_json_text(L, text, &error)) {
    if (lua_gettop(L) != top) fail("push_json_text failed but left values on the stack", text, "");
    return false;
  }
  if (lua_gettop(L) != top + 1) fail("push_json_text pushed other than one value", text, "");
  bool ok = encode_lua_value(L, -1, encoded, &error);
  lua_settop(L, top);
  if (!ok) encoded.clear();
  return ok;
}

struct input {
  std::string_view text;
  bool decoded = false;
};

// Runs under lua_pcall: a Lua memory error then unwinds to the pcall, not to a panic.
int run(lua_State* L) {
  auto* in = static_cast<input*>(lua_touserdata(L, 1));
  std::string first, second, error;
  if (!round_trip(L, in->text, first, error)) {
    if (!error.empty() && first.empty()) {
      // Not JSON, or JSON that cannot be encoded: only NaN/infinity may refuse (a double
      // literal too large for a double parses as infinity).
      boost::system::error_code ec;
      json::value v = json::parse(in->text, ec);
      if (!ec && !has_non_finite(v)) fail("decoded JSON failed to encode", in->text, error);
    }
    return 0;
  }
  in->decoded = true;
  if (!round_trip(L, first, second, error)) fail("our own encoding failed to decode or re-encode", first, error);
  json::value original = json::parse(in->text);
  json::value once = json::parse(first);
  json::value twice = json::parse(second);
  if (!same_value(original, once)) fail("decode+encode changed the value", in->text, first);
  if (!same_value(once, twice)) fail("second round trip changed the value", first, second);
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static lua_State* L = [] {
    lua_State* s = luaL_newstate();
    luaL_openlibs(s);
    drover::scenario::register_json_support(s);
    return s;
  }();
  input in{std::string_view(reinterpret_cast<const char*>(data), size)};
  lua_pushcfunction(L, run);
  lua_pushlightuserdata(L, &in);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    // Only a Lua memory error may get here; anything else is a bug in the bridge.
    std::fprintf(stderr, "json_bridge: Lua error: %s\n", lua_tostring(L, -1));
    std::abort();
  }
  lua_settop(L, 0);
  return 0;
}
