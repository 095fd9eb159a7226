#pragma once
// Results over time: what a run did in each interval (1 s by default, `drover run --interval`),
// merged from every worker, and the sinks that consume the intervals while the run goes
// (the result document's time series, --out-json, --hlog, --prometheus-rw).
//
// Contract:
//  - The controller (run_controller, main thread) builds one interval_point per interval, in
//    order, after merging the workers' interval recordings; it calls every sink's on_interval on
//    the main thread, never concurrently. A sink that throws is reported and dropped; the run
//    goes on (its results already measured are never lost to an output's failure).
//  - Counts are what happened in [start_ms, end_ms) only (deltas, not running totals). Trend
//    histograms hold only that interval's values, merged exactly from the workers (so interval
//    percentiles are exact to the histogram's precision, never averages of averages); values are
//    in thousandths of the trend's unit, as in recorder::trend_metric.
//  - The last interval of a run may be shorter than the others (end_ms - start_ms).
#include <cstdint>
#include <map>
#include <string>

#include "harness/metrics/histogram.hpp"
#include "harness/metrics/recorder.hpp"

namespace drover::metrics {

struct interval_point {
  std::int64_t start_ms = 0;     // since the run's start (steady clock)
  std::int64_t end_ms = 0;       // exclusive
  double unix_start_s = 0;       // start_ms as seconds since the epoch (for external tools)
  int active_clients = 0;        // clients running at end_ms
  std::uint64_t sessions_opened = 0;
  std::uint64_t sessions_closed = 0;
  std::uint64_t msgs_sent = 0;
  std::uint64_t msgs_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t iterations = 0;
  std::uint64_t dropped_iterations = 0;
  std::uint64_t checks_passed = 0;
  std::uint64_t checks_failed = 0;
  std::map<std::string, std::uint64_t, std::less<>> errors_by_kind;  // error kind -> count
  std::map<int, std::uint64_t> close_codes;                          // close code -> count
  struct trend_values {
    value_unit unit = value_unit::milliseconds;
    histogram values;  // this interval's values only
  };
  std::map<std::string, trend_values, std::less<>> trends;  // every trend with values in the interval
};

// Receives the intervals of one run. Called on the controller's thread only, in order.
class interval_sink {
 public:
  virtual ~interval_sink() = default;
  virtual void on_interval(const interval_point& point) = 0;
  // After the last interval (the run ended, was interrupted, or failed): flush and close.
  virtual void on_end() = 0;
};

}  // namespace drover::metrics
