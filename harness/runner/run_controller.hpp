#pragma once
// Runs a scenario: spreads the clients over the workers (client i on worker i % W, starting
// at ramp_up * i / vus), starts them, stops them at the run's end (graceful, then hard),
// reports progress, and merges the workers' recorders. Called on the main thread.
// A mixed fleet (config.scenarios) gets one group of workers per scenario (config.workers is
// shared out, at least one each), all in this process at once: a group starts at its
// start_time and stops at its own end; its recorders are merged as they are and again under
// "<name>{<tag_list>}" (run_config.hpp), so that every metric has per-scenario sub-metrics.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "harness/metrics/recorder.hpp"
#include "harness/metrics/thresholds.hpp"
#include "harness/runner/interval_collector.hpp"
#include "harness/runner/run_config.hpp"
#include "harness/runner/worker.hpp"

namespace drover::runner {

struct run_result {
  metrics::recorder merged;
  std::chrono::system_clock::time_point started_at;
  std::chrono::system_clock::time_point ended_at;
  double elapsed_seconds = 0;
  bool interrupted = false;
  int vus_started = 0;
  int vus_connected = 0;
  std::vector<metrics::threshold_result> thresholds;
  std::vector<std::string> case_results;  // JSON text of each report_case() call
};

// Per-worker hooks (validation); called on the main thread before the workers start.
using hooks_factory = std::function<worker_hooks(int worker_index)>;

// interrupts: incremented by the signal handler (1: stop gracefully, 2+: stop now).
// outputs: the interval and the sinks that get each interval's point while the run goes
// (interval_collector.hpp); every sink gets on_end before execute_run returns or throws.
// Throws scenario_error when a worker cannot load the scenario.
run_result execute_run(const run_config& config, const std::string& setup_data_json, const std::atomic<int>& interrupts,
                       const hooks_factory& hooks = {}, const run_outputs& outputs = {});

}  // namespace drover::runner
