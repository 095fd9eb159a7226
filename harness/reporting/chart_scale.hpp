#pragma once
// Axis arithmetic shared by the report's SVG charts (time series, percentile spectrum): linear
// value axes with "nice" ticks and the time axis of a run. Pure functions; any thread.
#include <cstdint>
#include <string>
#include <vector>

namespace drover::reporting {

// A step of 1, 2 or 5 times a power of ten, at least span / max_ticks (span > 0), so that
// [0, span] gets at most max_ticks + 1 gridlines. span <= 0 or max_ticks < 1 gives 1.
double nice_step(double span, int max_ticks);

// A value axis from 0: its top is the smallest multiple of nice_step(max_value, max_ticks)
// that is >= max_value (1 when max_value <= 0, so an all-zero series still has an axis).
// whole_numbers (counts): the step is at least 1.
struct value_axis {
  double top = 1;
  double step = 1;
  std::vector<double> ticks;  // 0, step, ..., top
};
value_axis make_value_axis(double max_value, int max_ticks = 4, bool whole_numbers = false);

// A run's time axis in milliseconds since its start. Ticks fall on whole steps a reader
// expects (100/200/500 ms, 1/2/5/10/15/30 s, 1/2/5/10/15/30 min, 1/2/... h), at most max_ticks
// of them inside [start_ms, end_ms]; end_ms <= start_ms gives no ticks.
struct time_tick {
  std::int64_t at_ms = 0;
  std::string label;  // "0s", "30s", "1m30s", "500ms"
};
std::int64_t time_step_ms(std::int64_t span_ms, int max_ticks);
std::vector<time_tick> time_ticks(std::int64_t start_ms, std::int64_t end_ms, int max_ticks = 8);
std::string time_label(std::int64_t ms);

}  // namespace drover::reporting
