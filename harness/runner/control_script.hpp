#pragma once
// The scenario's control state: a lua_State of its own (on the controller's thread) that
// reads `options` and runs setup() before the workers start and teardown(data) after they
// stop. Only plain data (JSON text) crosses from here to the workers (wrk's rule).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/scenario/lua_state.hpp"
#include "harness/scenario/scenario_options.hpp"

namespace drover::runner {

// Directories searched by require(): the scenario's folder, its ../lib, scenarios/lib of the source tree.
std::vector<std::string> module_paths_for(const std::string& scenario_path);

class control_script {
 public:
  // Loads and runs the file in a state under `policy` (the workers' states get the same one).
  // Throws file_error / scenario_error with Lua's message.
  control_script(const std::string& path, const std::map<std::string, std::string>& env,
                 scenario::lua_policy policy = scenario::lua_policy::sandboxed);

  const scenario::scenario_options& options() const { return options_; }
  // Runs setup() if defined; returns its result as JSON text ("" when none).
  // Throws scenario_error when setup fails or returns something that is not plain data.
  std::string run_setup();
  // Runs teardown(data) if defined. Throws scenario_error when it fails.
  void run_teardown(const std::string& setup_data_json);

 private:
  std::string path_;
  scenario::lua_state lua_;
  scenario::scenario_options options_;
};

}  // namespace drover::runner
