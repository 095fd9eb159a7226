#include "harness/scenario/json_bridge.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include <boost/json/parse.hpp>

namespace drover::scenario {

namespace {
const char* const array_mt_key = "drover.json.array";
// The address of this byte is the null sentinel (a light userdata equal in every state).
const char null_sentinel = 0;
constexpr int max_depth = 200;

void push_value(lua_State* L, const boost::json::value& v, int depth);

void push_array(lua_State* L, const boost::json::array& a, int depth) {
  lua_createtable(L, static_cast<int>(a.size()), 0);
  lua_Integer i = 1;
  for (const auto& item : a) {
    push_value(L, item, depth + 1);
    lua_rawseti(L, -2, i++);
  }
  luaL_setmetatable(L, array_mt_key);
}

void push_object(lua_State* L, const boost::json::object& o, int depth) {
  lua_createtable(L, 0, static_cast<int>(o.size()));
  for (const auto& kv : o) {
    lua_pushlstring(L, kv.key().data(), kv.key().size());
    push_value(L, kv.value(), depth + 1);
    lua_rawset(L, -3);
  }
}

void push_value(lua_State* L, const boost::json::value& v, int depth) {
  luaL_checkstack(L, 4, "JSON nesting too deep");
  switch (v.kind()) {
    case boost::json::kind::null: push_json_null(L); break;
    case boost::json::kind::bool_: lua_pushboolean(L, v.get_bool()); break;
    case boost::json::kind::int64: lua_pushinteger(L, static_cast<lua_Integer>(v.get_int64())); break;
    case boost::json::kind::uint64: {
      auto u = v.get_uint64();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) lua_pushinteger(L, static_cast<lua_Integer>(u));
      else lua_pushnumber(L, static_cast<lua_Number>(u));
      break;
    }
    case boost::json::kind::double_: lua_pushnumber(L, v.get_double()); break;
    case boost::json::kind::string: lua_pushlstring(L, v.get_string().data(), v.get_string().size()); break;
    case boost::json::kind::array: push_array(L, v.get_array(), depth); break;
    case boost::json::kind::object: push_object(L, v.get_object(), depth); break;
  }
}

void append_escaped(std::string& out, const char* s, std::size_t n) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

struct encoder {
  lua_State* L;
  std::string& out;
  std::string error;
  std::vector<std::string> path;

  std::string where() const {
    std::string p = "$";
    for (const auto& part : path) p += part;
    return p;
  }
  bool fail(const std::string& why) {
    if (error.empty()) error = where() + ": " + why;
    return false;
  }

  // Returns the sequence length when the table at idx is an array, -1 otherwise.
  lua_Integer array_length(int idx) {
    bool marked = false;
    if (lua_getmetatable(L, idx)) {
      luaL_getmetatable(L, array_mt_key);
      marked = lua_rawequal(L, -1, -2);
      lua_pop(L, 2);
    }
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, idx));
    if (marked) return n;
    if (n == 0) return -1;
    // A sequence only if it has no other keys.
    lua_Integer count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lua_pop(L, 1);
      ++count;
      if (count > n) {
        lua_pop(L, 1);
        return -1;
      }
    }
    return count == n ? n : -1;
  }

  bool number(int idx) {
    if (lua_isinteger(L, idx)) {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(lua_tointeger(L, idx)));
      out.append(buf, r.ptr);
      return true;
    }
    double d = lua_tonumber(L, idx);
    if (!std::isfinite(d)) return fail("cannot encode NaN or infinity");
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
    return true;
  }

  bool value(int idx, int depth) {
    idx = lua_absindex(L, idx);
    if (depth > max_depth) return fail("nesting deeper than 200 (a cycle?)");
    switch (lua_type(L, idx)) {
      case LUA_TNIL: out += "null"; return true;
      case LUA_TBOOLEAN: out += lua_toboolean(L, idx) ? "true" : "false"; return true;
      case LUA_TNUMBER: return number(idx);
      case LUA_TSTRING: {
        std::size_t n;
        const char* s = lua_tolstring(L, idx, &n);
        append_escaped(out, s, n);
        return true;
      }
      case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == &null_sentinel) {
          out += "null";
          return true;
        }
        return fail("cannot encode a userdata");
      case LUA_TTABLE: return table(idx, depth);
      default: return fail(std::string("cannot encode a ") + luaL_typename(L, idx));
    }
  }

  bool table(int idx, int depth) {
    luaL_checkstack(L, 6, "JSON nesting too deep");
    lua_Integer n = array_length(idx);
    if (n >= 0) {
      out += '[';
      for (lua_Integer i = 1; i <= n; ++i) {
        if (i > 1) out += ',';
        lua_rawgeti(L, idx, i);
        path.push_back("[" + std::to_string(i) + "]");
        bool ok = value(-1, depth + 1);
        path.pop_back();
        lua_pop(L, 1);
        if (!ok) return false;
      }
      out += ']';
      return true;
    }
    out += '{';
    bool first = true;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      std::string key;
      if (lua_type(L, -2) == LUA_TSTRING) {
        std::size_t len;
        const char* k = lua_tolstring(L, -2, &len);
        key.assign(k, len);
      } else if (lua_isinteger(L, -2)) {
        key = std::to_string(lua_tointeger(L, -2));
      } else {
        lua_pop(L, 2);
        return fail(std::string("object keys must be strings, not ") + luaL_typename(L, -2));
      }
      if (!first) out += ',';
      first = false;
      append_escaped(out, key.data(), key.size());
      out += ':';
      path.push_back("." + key);
      bool ok = value(-1, depth + 1);
      path.pop_back();
      lua_pop(L, 1);
      if (!ok) {
        lua_pop(L, 1);
        return false;
      }
    }
    out += '}';
    return true;
  }
};
}  // namespace

void register_json_support(lua_State* L) {
  if (luaL_newmetatable(L, array_mt_key)) {
    lua_pushstring(L, "json.array");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
}

void push_json_null(lua_State* L) { lua_pushlightuserdata(L, const_cast<char*>(&null_sentinel)); }

bool is_json_null(lua_State* L, int idx) {
  return lua_type(L, idx) == LUA_TLIGHTUSERDATA && lua_touserdata(L, idx) == &null_sentinel;
}

void push_array_metatable(lua_State* L) { luaL_getmetatable(L, array_mt_key); }

void push_json(lua_State* L, const boost::json::value& v) { push_value(L, v, 0); }

bool push_json_text(lua_State* L, std::string_view text, std::string* error) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) {
    if (error) *error = ec.message();
    return false;
  }
  push_value(L, v, 0);
  return true;
}

bool encode_lua_value(lua_State* L, int idx, std::string& out, std::string* error) {
  encoder e{L, out, {}, {}};
  int top = lua_gettop(L);
  bool ok = e.value(idx, 0);
  lua_settop(L, top);
  if (!ok && error) *error = e.error;
  return ok;
}

}  // namespace drover::scenario
