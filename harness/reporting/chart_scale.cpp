#include "harness/reporting/chart_scale.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace drover::reporting {

double nice_step(double span, int max_ticks) {
  if (!(span > 0) || max_ticks < 1 || !std::isfinite(span)) return 1;
  const double raw = span / max_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0}) {
    if (f * magnitude >= raw * (1 - 1e-9)) return f * magnitude;
  }
  return 10 * magnitude;
}

value_axis make_value_axis(double max_value, int max_ticks, bool whole_numbers) {
  value_axis axis;
  if (!(max_value > 0) || !std::isfinite(max_value)) {
    axis.ticks = {0, 1};
    return axis;
  }
  axis.step = nice_step(max_value, max_ticks);
  if (whole_numbers) axis.step = std::max(axis.step, 1.0);
  const double steps = std::ceil(max_value / axis.step - 1e-9);
  axis.top = std::max(1.0, steps) * axis.step;
  for (int i = 0; i <= static_cast<int>(std::max(1.0, steps)); ++i) axis.ticks.push_back(i * axis.step);
  return axis;
}

std::int64_t time_step_ms(std::int64_t span_ms, int max_ticks) {
  static constexpr std::int64_t steps[] = {
      1,      2,       5,       10,      20,      50,       100,      200,      500,       1000,      2000,
      5000,   10000,   15000,   30000,   60000,   120000,   300000,   600000,   900000,    1800000,   3600000,
      7200000, 10800000, 21600000, 43200000, 86400000};
  if (span_ms <= 0 || max_ticks < 1) return 1000;
  for (auto s : steps) {
    if (span_ms / s < max_ticks) return s;
  }
  std::int64_t s = steps[std::size(steps) - 1];
  while (span_ms / s >= max_ticks) s *= 2;
  return s;
}

std::vector<time_tick> time_ticks(std::int64_t start_ms, std::int64_t end_ms, int max_ticks) {
  std::vector<time_tick> out;
  if (end_ms <= start_ms) return out;
  const std::int64_t step = time_step_ms(end_ms - start_ms, max_ticks);
  // The first multiple of step at or after start_ms (start_ms may be negative for a zoom).
  std::int64_t t = start_ms >= 0 ? (start_ms + step - 1) / step * step : -((-start_ms) / step * step);
  for (; t <= end_ms; t += step) out.push_back({t, time_label(t)});
  return out;
}

std::string time_label(std::int64_t ms) {
  if (ms < 0) return "-" + time_label(-ms);
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) {
    if (ms < 1000) return std::to_string(ms) + "ms";
    // Tenths or finer of a second: "1.5s".
    std::string frac = std::to_string(ms % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return std::to_string(ms / 1000) + "." + frac + "s";
  }
  std::int64_t s = ms / 1000;
  const std::int64_t h = s / 3600, m = (s % 3600) / 60;
  s %= 60;
  std::string out;
  if (h > 0) out += std::to_string(h) + "h";
  if (m > 0) out += std::to_string(m) + "m";
  if (s > 0 || out.empty()) out += std::to_string(s) + "s";
  return out;
}

}  // namespace drover::reporting
