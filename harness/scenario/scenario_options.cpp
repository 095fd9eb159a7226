#include "harness/scenario/scenario_options.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"

namespace drover::scenario {

namespace {

struct reader {
  lua_State* L;
  std::string path;
  std::string prefix = "options.";  // "options.scenarios.phones." inside a scenario

  [[noreturn]] void bad(const std::string& key, const std::string& why) {
    throw scenario_error(path + ": " + prefix + key + " " + why);
  }

  std::string string_value(const std::string& key) {
    if (lua_type(L, -1) != LUA_TSTRING) bad(key, std::string("must be a string, not a ") + luaL_typename(L, -1));
    return lua_tostring(L, -1);
  }

  long long integer_value(const std::string& key, long long min) {
    if (!lua_isinteger(L, -1)) {
      if (lua_type(L, -1) == LUA_TNUMBER) {
        lua_Number n = lua_tonumber(L, -1);
        if (n != static_cast<lua_Number>(static_cast<long long>(n))) bad(key, "must be a whole number");
      } else {
        bad(key, std::string("must be a number, not a ") + luaL_typename(L, -1));
      }
    }
    long long v = static_cast<long long>(lua_tonumber(L, -1));
    if (v < min) bad(key, "must be at least " + std::to_string(min));
    return v;
  }

  std::chrono::milliseconds duration_value(const std::string& key) {
    if (lua_type(L, -1) == LUA_TNUMBER) {
      double ms = lua_tonumber(L, -1);
      if (ms < 0) bad(key, "must not be negative");
      return std::chrono::milliseconds(static_cast<long long>(ms));
    }
    if (lua_type(L, -1) != LUA_TSTRING) bad(key, "must be a duration such as \"30s\" or a number of milliseconds");
    try {
      return parse_duration(lua_tostring(L, -1));
    } catch (const usage_error& e) {
      bad(key, e.what());
    }
  }

  double number_value(const std::string& key, double min) {
    if (lua_type(L, -1) != LUA_TNUMBER) bad(key, std::string("must be a number, not a ") + luaL_typename(L, -1));
    double v = lua_tonumber(L, -1);
    if (!(v >= min) || v > 1e12) bad(key, "must be at least " + std::to_string(min) + " (and finite)");
    return v;
  }

  // stages = { {duration = "30s", target = 100}, ... }
  void stages(scenario_options& out) {
    if (!lua_istable(L, -1)) bad("stages", "must be a list of {duration = \"30s\", target = N}");
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    if (n == 0) bad("stages", "must list at least one stage");
    for (lua_Integer i = 1; i <= n; ++i) {
      std::string key = "stages[" + std::to_string(i) + "]";
      lua_rawgeti(L, -1, i);
      if (!lua_istable(L, -1)) bad(key, "must be a table {duration = \"30s\", target = N}");
      scenario_stage s;
      lua_getfield(L, -1, "duration");
      if (lua_isnil(L, -1)) bad(key + ".duration", "is missing");
      s.duration = duration_value(key + ".duration");
      lua_pop(L, 1);
      lua_getfield(L, -1, "target");
      if (lua_isnil(L, -1)) bad(key + ".target", "is missing");
      s.target = number_value(key + ".target", 0);
      lua_pop(L, 2);
      out.stages.push_back(s);
    }
  }

  void thresholds(scenario_options& out) {
    if (!lua_istable(L, -1)) bad("thresholds", "must be a table of metric = \"expression\"");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) != LUA_TSTRING) bad("thresholds", "keys must be metric names (strings)");
      std::string key = lua_tostring(L, -2);
      if (lua_type(L, -1) == LUA_TSTRING) {
        out.thresholds.emplace_back(key, lua_tostring(L, -1));
      } else if (lua_istable(L, -1)) {
        lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
        for (lua_Integer i = 1; i <= n; ++i) {
          lua_rawgeti(L, -1, i);
          if (lua_type(L, -1) != LUA_TSTRING) bad("thresholds[\"" + key + "\"]", "must list expression strings");
          out.thresholds.emplace_back(key, lua_tostring(L, -1));
          lua_pop(L, 1);
        }
      } else {
        bad("thresholds[\"" + key + "\"]", "must be an expression string such as \"p(99) < 200\" or a list of them");
      }
      lua_pop(L, 1);
    }
  }
};

bool global_is_function(lua_State* L, const char* name) {
  lua_getglobal(L, name);
  bool is = lua_isfunction(L, -1);
  lua_pop(L, 1);
  return is;
}

// Tag keys and values end up inside "name{key:value,...}": the characters that delimit that
// form are refused so that a tagged name always parses back.
bool plain_tag_text(const std::string& t) {
  if (t.empty()) return false;
  for (char c : t)
    if (c == '{' || c == '}' || c == ',' || c == ':' || c == '"' || static_cast<unsigned char>(c) < 0x20) return false;
  return true;
}

// Reads the model keys of the table on top of the stack into out. In a scenario (sc != null)
// the keys exec, tags and start_time are read too, and the run-wide keys are refused.
void read_table(reader& r, scenario_options& out, named_scenario* sc) {
  lua_State* L = r.L;
  static const std::set<std::string> model_keys = {
      "target", "vus", "duration", "ramp_up", "graceful_stop", "iterations", "executor", "stages", "rate",
      "start_rate", "time_unit", "pre_allocated_vus", "max_vus", "start_vus", "max_duration"};
  static const std::set<std::string> top_keys = {"connect_timeout", "recv_timeout", "max_message", "protocol",
                                                 "dialect", "validate", "thresholds", "scenarios"};
  static const std::set<std::string> scenario_keys = {"exec", "tags", "start_time", "weight"};
  // k6's spellings of the same options.
  static const std::map<std::string, std::string> k6_names = {
      {"timeUnit", "time_unit"}, {"preAllocatedVUs", "pre_allocated_vus"}, {"maxVUs", "max_vus"},
      {"startRate", "start_rate"}, {"startVUs", "start_vus"}, {"maxDuration", "max_duration"},
      {"gracefulStop", "graceful_stop"}, {"startTime", "start_time"}};
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) != LUA_TSTRING) throw scenario_error(r.path + ": " + r.prefix + " keys must be names");
    std::string key = lua_tostring(L, -2);
    if (auto alias = k6_names.find(key); alias != k6_names.end()) key = alias->second;
    bool known = model_keys.count(key) || (sc ? scenario_keys.count(key) : top_keys.count(key));
    if (!known) {
      std::set<std::string> all = model_keys;
      all.insert(sc ? scenario_keys.begin() : top_keys.begin(), sc ? scenario_keys.end() : top_keys.end());
      std::string list;
      for (const auto& k : all) list += (list.empty() ? "" : ", ") + k;
      throw scenario_error(r.path + ": " + r.prefix + key + " is not a known " +
                           (sc ? "scenario key" : "option") + " (known: " + list + ")");
    }
    if (key == "target") out.target = r.string_value(key);
    else if (key == "vus") out.vus = static_cast<int>(r.integer_value(key, 1));
    else if (key == "duration") out.duration = r.duration_value(key);
    else if (key == "ramp_up") out.ramp_up = r.duration_value(key);
    else if (key == "graceful_stop") out.graceful_stop = r.duration_value(key);
    else if (key == "iterations") out.iterations = r.integer_value(key, 0);
    else if (key == "connect_timeout") out.connect_timeout = r.duration_value(key);
    else if (key == "recv_timeout") out.recv_timeout = r.duration_value(key);
    else if (key == "max_message") out.max_message = r.integer_value(key, 1);
    else if (key == "protocol") out.protocol = r.string_value(key);
    else if (key == "dialect") out.dialect = r.string_value(key);
    else if (key == "validate") out.validate = r.string_value(key);
    else if (key == "thresholds") r.thresholds(out);
    else if (key == "executor") out.executor = r.string_value(key);
    else if (key == "stages") r.stages(out);
    else if (key == "rate") out.rate = r.number_value(key, 0);
    else if (key == "start_rate") out.start_rate = r.number_value(key, 0);
    else if (key == "time_unit") out.time_unit = r.duration_value(key);
    else if (key == "pre_allocated_vus") out.pre_allocated_vus = static_cast<int>(r.integer_value(key, 1));
    else if (key == "max_vus") out.max_vus = static_cast<int>(r.integer_value(key, 1));
    else if (key == "start_vus") out.start_vus = static_cast<int>(r.integer_value(key, 0));
    else if (key == "max_duration") out.max_duration = r.duration_value(key);
    else if (key == "exec") sc->exec = r.string_value(key);
    else if (key == "start_time") sc->start_time = r.duration_value(key);
    else if (key == "weight") {
      sc->weight = r.number_value(key, 0);
      if (*sc->weight <= 0) r.bad(key, "must be above 0");
    }
    else if (key == "tags") {
      if (!lua_istable(L, -1)) r.bad(key, "must be a table of name = \"value\"");
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
          r.bad(key, "must map tag names to string values");
        std::string k = lua_tostring(L, -2), v = lua_tostring(L, -1);
        if (k == "scenario") r.bad("tags.scenario", "is set by drover (the scenario's name)");
        if (!plain_tag_text(k) || !plain_tag_text(v))
          r.bad("tags." + k, "must be non-empty and contain none of { } , : \"");
        sc->tags[k] = v;
        lua_pop(L, 1);
      }
    } else if (key == "scenarios") {
      if (!lua_istable(L, -1)) r.bad(key, "must be a table of name = { executor = ..., ... }");
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        if (lua_type(L, -2) != LUA_TSTRING) r.bad(key, "keys must be scenario names (strings)");
        named_scenario entry;
        entry.name = lua_tostring(L, -2);
        if (!plain_tag_text(entry.name))
          r.bad("scenarios[\"" + entry.name + "\"]", "is not a usable name (non-empty, none of { } , : \")");
        if (!lua_istable(L, -1)) r.bad("scenarios." + entry.name, "must be a table { executor = ..., ... }");
        reader inner{L, r.path, r.prefix + "scenarios." + entry.name + "."};
        read_table(inner, entry.model, &entry);
        out.scenarios.push_back(std::move(entry));
        lua_pop(L, 1);
      }
      if (out.scenarios.empty()) r.bad(key, "must name at least one scenario");
      std::sort(out.scenarios.begin(), out.scenarios.end(),
                [](const named_scenario& a, const named_scenario& b) { return a.name < b.name; });
    }
    lua_pop(L, 1);
  }
}

}  // namespace

scenario_options read_scenario_options(lua_State* L, const std::string& scenario_path) {
  scenario_options out;
  out.has_client = global_is_function(L, "client") || global_is_function(L, "default");
  out.has_setup = global_is_function(L, "setup");
  out.has_teardown = global_is_function(L, "teardown");

  lua_getglobal(L, "options");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return out;
  }
  reader r{L, scenario_path};
  if (!lua_istable(L, -1)) throw scenario_error(scenario_path + ": `options` must be a table");
  read_table(r, out, nullptr);
  lua_pop(L, 1);
  for (const auto& sc : out.scenarios) {
    const std::string fn = sc.exec.empty() ? "" : sc.exec;
    if (fn.empty() ? !out.has_client : !global_is_function(L, fn.c_str()))
      throw scenario_error(scenario_path + ": options.scenarios." + sc.name + ".exec: no global function `" +
                           (fn.empty() ? std::string("client") : fn) + "` is defined");
  }
  return out;
}

}  // namespace drover::scenario
