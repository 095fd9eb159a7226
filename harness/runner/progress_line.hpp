#pragma once
// The live progress line of `drover run` (one a second on stderr unless --quiet): the pure
// formatting here, the sampling in run_controller.cpp. Rates are per second over the last tick.
#include <chrono>
#include <optional>
#include <string>

namespace drover::runner {

struct progress_figures {
  double elapsed_s = 0;
  std::chrono::milliseconds total{0};  // the run's planned length
  int active = 0;                      // clients started and not finished
  double iterations = 0;               // since the start
  double msgs_in_per_s = 0;
  double msgs_out_per_s = 0;
  double errors = 0;
  double dropped_iterations = 0;
  bool show_dropped = false;           // arrival-rate models
  std::optional<double> p99_ms;        // p99 of p99_of so far
  std::string p99_of = "iteration_duration";
};

// One line without a line end, e.g.
// "  12.0s/30s  clients 45  iterations 1234  msgs/s in 200 out 200  errors 0  dropped 0  p99 iteration_duration 12.3ms"
std::string format_progress(const progress_figures& f);

}  // namespace drover::runner
