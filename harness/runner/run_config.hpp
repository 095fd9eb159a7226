#pragma once
// The settings of one run, resolved from the scenario's options and the command line
// (flags win). Plain data: safe to copy to every worker.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/metrics/thresholds.hpp"
#include "harness/runner/executor_config.hpp"
#include "harness/scenario/scenario_options.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::runner {

// What the user gave on the command line; empty optionals mean "not given".
struct cli_overrides {
  std::optional<std::string> target;
  std::optional<int> vus;
  std::optional<std::chrono::milliseconds> duration;
  std::optional<std::chrono::milliseconds> ramp_up;
  std::optional<std::chrono::milliseconds> graceful_stop;
  std::optional<long long> iterations;
  executor_flags model;  // --executor, --rate, --time-unit, --pre-allocated-vus, --max-vus, --stage
  std::optional<int> shard_index, shard_count;  // --shard i/N (index 0-based here, 1-based on the flag)
  std::optional<int> workers;
  std::optional<std::chrono::milliseconds> connect_timeout;
  std::optional<long long> max_message;
  std::optional<std::string> protocol;
  std::optional<std::string> dialect;
  std::optional<std::string> validate;
  std::vector<std::pair<std::string, std::string>> env;      // --env KEY=VALUE
  std::vector<std::pair<std::string, std::string>> headers;  // --header "Name: value"
  std::optional<std::string> source_ips;                      // --source-ips (common/source_ips.hpp)
  transport::tls_options tls;
  bool quiet = false;
  bool allow_unsafe_lua = false;  // --allow-unsafe-lua; a scenario's options cannot grant it
  bool show_secrets = false;      // --show-secrets: outputs keep tokens, keys, tickets as they were
};

struct run_config {
  std::string scenario_path;
  std::string target;
  int vus = 1;
  std::chrono::milliseconds duration{0};       // the run's length (ramp-up included)
  std::chrono::milliseconds ramp_up{0};
  std::chrono::milliseconds graceful_stop{5'000};
  long long iterations = 0;                    // per client; 0 = until the duration ends
  executor_config model;                       // the workload model (vus above mirrors model.vus)
  // This process runs the shard_index-th share (0-based) of shard_count: clients, pools and
  // arrivals are split so that the shards add up to the whole test (share_of).
  int shard_index = 0;
  int shard_count = 1;
  int workers = 1;
  std::map<std::string, std::string> env;
  transport::connect_options connect;
  transport::tls_options tls;
  std::chrono::milliseconds recv_timeout{30'000};
  std::string protocol;
  std::string dialect;
  std::string validate = "all";
  std::vector<metrics::threshold_spec> thresholds;
  bool quiet = false;
  // Lift the Lua sandbox (scenario/lua_sandbox.hpp) in the workers' states and the control state.
  bool allow_unsafe_lua = false;

  // A mixed fleet (options.scenarios): the resolved settings of each named scenario, each a
  // whole config of its own (model, duration, target, shard share, workers) plus the fields
  // below; the outer config holds the run-wide settings (thresholds, shard, duration = the
  // latest scenario end). Empty for a single-scenario file.
  std::vector<run_config> scenarios;
  std::string scenario_name;                     // set in the entries of `scenarios`
  std::string exec;                              // the Lua function its clients run ("": client/default)
  std::map<std::string, std::string> tags;       // its own tags (without "scenario")
  std::chrono::milliseconds start_time{0};       // offset of its start from the run's start
};

// The tag list of a scenario's sub-metrics, in the one canonical form drover writes and
// thresholds name: "key:value" pairs sorted by key, joined by ',' and "scenario" among them:
// "kind:phone,scenario:phones". A metric recorded by that scenario's clients is also recorded as
// "<name>{<tag list>}" (e.g. "iteration_duration{kind:phone,scenario:phones}").
std::string tag_list(const run_config& scenario);
// True when every wanted tag is one of the scenario's ("scenario" is its name): a threshold's
// tags pick the scenarios whose sub-metrics it is judged on.
bool tags_match(const run_config& scenario, const std::map<std::string, std::string>& wanted);

// Without a duration or iteration count a run does one iteration per client, and no run is
// ever longer than this (every load loop is bounded in time).
inline constexpr std::chrono::milliseconds max_run_duration{24 * 3600 * 1000};
inline constexpr std::chrono::milliseconds default_duration_with_iterations{10 * 60 * 1000};

// Throws usage_error naming the setting when a value is out of range.
run_config resolve_config(const std::string& scenario_path, const scenario::scenario_options& options,
                          const cli_overrides& flags, unsigned hardware_threads);

}  // namespace drover::runner
