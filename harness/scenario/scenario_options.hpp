#pragma once
// What a scenario file declares in its global `options` table. Every field is optional;
// command-line flags override them (runner/run_config.hpp resolves the two).
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <lua.hpp>

namespace drover::scenario {

// One stage of a staged workload model (options.stages, --stage): over `duration`, move
// linearly to `target` (clients for ramping-vus, iterations per time_unit for
// ramping-arrival-rate).
struct scenario_stage {
  std::chrono::milliseconds duration{0};
  double target = 0;
};

struct named_scenario;

struct scenario_options {
  std::optional<std::string> target;
  std::optional<int> vus;
  std::optional<std::chrono::milliseconds> duration;
  std::optional<std::chrono::milliseconds> ramp_up;
  std::optional<std::chrono::milliseconds> graceful_stop;
  std::optional<long long> iterations;  // per client; 0 = until the duration ends
  // The workload model (runner/executor_config.hpp); k6's camelCase names are accepted too
  // (timeUnit, preAllocatedVUs, maxVUs, startRate, startVUs, maxDuration).
  std::optional<std::string> executor;
  std::vector<scenario_stage> stages;
  std::optional<double> rate;                          // iterations per time_unit
  std::optional<double> start_rate;
  std::optional<std::chrono::milliseconds> time_unit;
  std::optional<int> pre_allocated_vus;
  std::optional<int> max_vus;
  std::optional<int> start_vus;
  std::optional<std::chrono::milliseconds> max_duration;
  std::optional<std::chrono::milliseconds> connect_timeout;
  std::optional<std::chrono::milliseconds> recv_timeout;
  std::optional<long long> max_message;
  std::optional<std::string> protocol;
  std::optional<std::string> dialect;
  std::optional<std::string> validate;
  // (key, expression) pairs in declaration order; a list value gives several pairs.
  std::vector<std::pair<std::string, std::string>> thresholds;
  // options.scenarios (a mixed fleet, k6 style), sorted by name; empty: the file is one
  // scenario (the fields above are its model). Each entry's model fields are its own; the
  // shared settings (protocol, timeouts, thresholds) stay at the top level.
  std::vector<named_scenario> scenarios;
  bool has_client = false;  // a global function `client` (or `default`) exists
  bool has_setup = false;
  bool has_teardown = false;
};

// One entry of options.scenarios: its own workload model (executor, vus, rate, duration, ...
// in `model`, the same keys as the top level), the global Lua function its clients run, its
// tags (added to every metric it records, see runner/run_config.hpp) and its start offset.
struct named_scenario {
  std::string name;
  scenario_options model;
  std::string exec;                         // empty: `client` (or `default`)
  std::map<std::string, std::string> tags;  // scenario's own tags; the key "scenario" is reserved
  std::chrono::milliseconds start_time{0};  // from the run's start
  // A share of the top level's `vus` (the fleet's total), e.g. 60 of 100: then every scenario
  // has a weight and none its own vus (runner/run_config.cpp splits the total).
  std::optional<double> weight;
};

// Reads the `options` global and the hook functions from a state that has run the scenario.
// Throws scenario_error naming the option and the problem (unknown keys included, so that
// a typo does not pass silently).
scenario_options read_scenario_options(lua_State* L, const std::string& scenario_path);

}  // namespace drover::scenario
