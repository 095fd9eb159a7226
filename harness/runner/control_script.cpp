#include "harness/runner/control_script.hpp"

#include <cstdlib>
#include <filesystem>

#include "harness/common/data_root.hpp"
#include "harness/common/error.hpp"
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_api.hpp"


namespace drover::runner {

std::vector<std::string> module_paths_for(const std::string& scenario_path) {
  namespace fs = std::filesystem;
  std::vector<std::string> dirs;
  fs::path dir = fs::absolute(scenario_path).parent_path();
  // Pushed in reverse priority: add_module_path prepends.
  const auto root = data_root();  // installed share/drover or the source tree (common/data_root.hpp)
  dirs.push_back((root / "scenarios" / "lib").string());
  dirs.push_back((root / "scenarios").string());
  if (const char* extra = std::getenv("DROVER_LUA_PATH")) dirs.push_back(extra);
  dirs.push_back((dir.parent_path() / "lib").string());
  dirs.push_back(dir.string());
  return dirs;
}

control_script::control_script(const std::string& path, const std::map<std::string, std::string>& env,
                               scenario::lua_policy policy)
    : path_(path), lua_(policy) {
  for (const auto& dir : module_paths_for(path)) lua_.add_module_path(dir);
  scenario::install_control_api(lua_.get(), env);
  lua_.run_file(path);
  options_ = scenario::read_scenario_options(lua_.get(), path);
  if (!options_.has_client && options_.scenarios.empty()) throw scenario_error(path + ": the scenario defines no `client` function");
}

std::string control_script::run_setup() {
  if (!options_.has_setup) return {};
  lua_State* L = lua_.get();
  lua_getglobal(L, "setup");
  scenario::protected_call(L, 0, 1, "setup()");
  std::string out, error;
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return {};
  }
  bool ok = scenario::encode_lua_value(L, -1, out, &error);
  lua_pop(L, 1);
  if (!ok) throw scenario_error("setup() must return plain data (tables, strings, numbers, booleans): " + error);
  return out;
}

void control_script::run_teardown(const std::string& setup_data_json) {
  if (!options_.has_teardown) return;
  lua_State* L = lua_.get();
  lua_getglobal(L, "teardown");
  int nargs = 0;
  if (!setup_data_json.empty() && scenario::push_json_text(L, setup_data_json, nullptr)) nargs = 1;
  scenario::protected_call(L, nargs, 0, "teardown()");
}

}  // namespace drover::runner
