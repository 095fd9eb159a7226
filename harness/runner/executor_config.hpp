#pragma once
// The workload model of a run (k6's executor vocabulary): which model, and its numbers,
// resolved from the scenario's options and the command line (flags win). Plain data, no
// threads; resolve_executor throws usage_error naming the flag or option at fault.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/scenario_options.hpp"

namespace drover::runner {

enum class executor_kind {
  constant_vus,           // `vus` clients looping iterations for `duration` (started over ramp_up)
  ramping_vus,            // the number of looping clients follows `stages` (targets: clients)
  constant_arrival_rate,  // `rate` iterations per `time_unit` for `duration`, from a client pool
  ramping_arrival_rate,   // the iteration rate follows `stages` (targets: iterations per time_unit)
  per_vu_iterations,      // `vus` clients, each exactly `iterations` iterations, within max_duration
};

// One stage: over `duration`, move linearly from the previous target to `target`.
using stage = scenario::scenario_stage;

std::string_view executor_name(executor_kind kind);
// Throws usage_error naming `source` (e.g. "--executor") and the known names.
executor_kind parse_executor_name(std::string_view name, const std::string& source);
bool is_arrival_rate(executor_kind kind);
// "30s:100" (DURATION:TARGET) as given to --stage; throws usage_error naming --stage.
stage parse_stage_flag(std::string_view text);

// The model's settings after resolution. Rates are iterations per time_unit.
struct executor_config {
  executor_kind kind = executor_kind::constant_vus;
  int vus = 1;                            // constant-vus, per-vu-iterations: clients; ramping-vus: clients at 0 s
  std::vector<stage> stages;              // ramping-vus, ramping-arrival-rate
  double rate = 0;                        // constant-arrival-rate: the rate; ramping-arrival-rate: at 0 s
  std::chrono::milliseconds time_unit{1000};
  int pre_allocated_vus = 0;              // arrival-rate: clients created before the start
  int max_vus = 0;                        // arrival-rate: the pool's limit (>= pre_allocated_vus)
};

// What the command line gave for the model (empty: not given).
struct executor_flags {
  std::optional<std::string> executor;                 // --executor
  std::optional<double> rate;                          // --rate
  std::optional<std::chrono::milliseconds> time_unit;  // --time-unit
  std::optional<int> pre_allocated_vus;                // --pre-allocated-vus
  std::optional<int> max_vus;                          // --max-vus
  std::vector<stage> stages;                           // --stage (repeatable)
};

// The longest a model's run takes by itself: the sum of the stages (staged models), else 0
// (the run's duration decides).
std::chrono::milliseconds stages_length(const std::vector<stage>& stages);
// The most clients the model can have at once (the vus_max gauge; bounds the workers).
int max_clients(const executor_config& e);

// How many of `total` things the part `index` of `count` parts gets: the parts differ by at
// most one and add up to `total` (shards, workers).
long long share_of(long long total, int index, int count);

// Flags win over options. Throws usage_error naming the flag or option: an unknown executor,
// a staged model without stages, stages or rate flags given to a model that has none, a rate
// not above 0, a pool below 1 or max_vus below pre_allocated_vus. vus_flag: --vus (for
// arrival-rate models it stands for --pre-allocated-vus when that is not given).
executor_config resolve_executor(const scenario::scenario_options& options, const executor_flags& flags,
                                 std::optional<int> vus_flag);

}  // namespace drover::runner
