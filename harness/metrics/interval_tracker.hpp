#pragma once
// One worker's side of results over time (interval_series.hpp): what its recorder recorded
// since the previous interval boundary.
//
// Why this split: counts are deltas of the recorder's running totals, so counting costs the hot
// path nothing; trend values cannot be derived from deltas of a histogram (min, max, a bucket's
// values of one second), so each trend records every value twice, into its run histogram and
// into its interval histogram (recorder::track_intervals). take() hands the interval histograms
// out and leaves empty ones, so a worker holds one interval histogram per trend, never one per
// interval; the controller merges the workers' points and drops them after the sinks saw them.
//
// Threading: take() runs on the thread that owns the recorder (the worker's), or after that
// thread ended. merge_interval() is the controller's.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "harness/metrics/interval_series.hpp"
#include "harness/metrics/recorder.hpp"

namespace drover::metrics {

class interval_tracker {
 public:
  // The recorder's activity since the previous take() (or since it was created): counts,
  // errors, close codes, and every trend with values in the interval (moved out of
  // rec's interval_values, which is left empty). rec must track intervals. start_ms, end_ms,
  // unix_start_s and active_clients are the caller's to fill.
  interval_point take(recorder& rec);

 private:
  std::map<std::string, double, std::less<>> counters_;  // running totals seen at the last take
  std::uint64_t checks_passed_ = 0, checks_failed_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> errors_;
  std::map<int, std::uint64_t> close_codes_;
};

// Adds from's counts and active clients into into, and merges its trends (exact). With tags
// non-empty ("scenario:a"), each trend is also merged under "name{tags}" (a mixed fleet's
// per-scenario sub-metric; names already tagged are skipped, as in recorder::merge_metrics_tagged).
void merge_interval(interval_point& into, interval_point&& from, std::string_view tags = {});

}  // namespace drover::metrics
