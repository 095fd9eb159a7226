#pragma once
// `drover run SCENARIO.lua [flags]`: loads the scenario, resolves settings (flags override
// the scenario's options), runs setup, the clients and teardown, then writes the result
// document's outputs into --out and prints the console summary. Returns the exit code.
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "harness/runner/run_config.hpp"

namespace drover::cli {

struct run_command_args {
  std::string command = "run";  // "run" or "conform" (cases decide the outcome)
  std::string scenario;
  std::string out_dir = "drover-results";
  runner::cli_overrides flags;
  // Results over time (drover run only): the interval of summary.json's "timeseries" and of
  // the streaming outputs; --out-json FILE and --hlog FILE (empty: none).
  std::chrono::milliseconds interval{1000};
  std::string out_json;
  std::string hlog;
  std::string prometheus_rw;                   // --prometheus-rw URL (empty: none)
  std::vector<std::string> prometheus_labels;  // --prometheus-label KEY=VALUE, in order
};

// interrupts is incremented by the SIGINT/SIGTERM handler.
int run_command(const run_command_args& args, const std::atomic<int>& interrupts);

}  // namespace drover::cli
