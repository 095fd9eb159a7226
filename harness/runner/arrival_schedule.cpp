#include "harness/runner/arrival_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace drover::runner {

arrival_schedule::arrival_schedule(double start_rate, std::vector<stage> stages, std::chrono::milliseconds time_unit) {
  if (time_unit.count() <= 0) throw std::invalid_argument("arrival_schedule: time_unit must be > 0");
  if (start_rate < 0) throw std::invalid_argument("arrival_schedule: negative rate");
  const double per_second = 1000.0 / static_cast<double>(time_unit.count());
  double t = 0, due = 0, r = start_rate * per_second;
  for (const auto& s : stages) {
    if (s.target < 0) throw std::invalid_argument("arrival_schedule: negative rate");
    double len = static_cast<double>(s.duration.count()) / 1000.0;
    double r1 = s.target * per_second;
    if (len > 0) {
      segments_.push_back({t, len, r, r1, due});
      due += (r + r1) / 2 * len;
      t += len;
    }
    r = r1;  // a zero-length stage jumps to its target
    length_ += s.duration;
  }
}

arrival_schedule arrival_schedule::constant(double rate, std::chrono::milliseconds time_unit,
                                            std::chrono::milliseconds duration) {
  return arrival_schedule(rate, {stage{duration, rate}}, time_unit);
}

double arrival_schedule::due_by(micros t) const {
  double ts = std::clamp(static_cast<double>(t.count()) / 1e6, 0.0, static_cast<double>(length_.count()) / 1000.0);
  double due = 0;
  for (const auto& g : segments_) {
    if (ts < g.t0_s) break;
    double s = std::min(ts - g.t0_s, g.length_s);
    due = g.due_before + g.r0 * s + (g.r1 - g.r0) * s * s / (2 * g.length_s);
  }
  return due;
}

double arrival_schedule::rate_per_second_at(micros t) const {
  double ts = static_cast<double>(t.count()) / 1e6;
  for (const auto& g : segments_)
    if (ts >= g.t0_s && ts < g.t0_s + g.length_s) return g.r0 + (g.r1 - g.r0) * (ts - g.t0_s) / g.length_s;
  return 0;
}

std::optional<arrival_schedule::micros> arrival_schedule::start_of(long long k) const {
  if (k < 0) return std::nullopt;
  const double want = static_cast<double>(k);
  for (const auto& g : segments_) {
    double due_after = g.due_before + (g.r0 + g.r1) / 2 * g.length_s;
    // Iteration k starts in the segment where A first reaches k; a tiny tolerance keeps a
    // boundary value (k exactly A at a segment's end) in the next segment's start.
    if (want >= due_after - 1e-9 * std::max(1.0, want)) continue;
    double x = want - g.due_before;  // iterations into this segment
    double a = (g.r1 - g.r0) / (2 * g.length_s), b = g.r0;
    double s;
    if (x <= 0) {
      s = 0;
    } else {
      // Solve a s^2 + b s = x for the first s >= 0; this form is stable when a is ~0 (constant
      // rate) and when b is 0 (a ramp from zero).
      double disc = std::max(0.0, b * b + 4 * a * x);
      double denom = b + std::sqrt(disc);
      s = denom > 0 ? 2 * x / denom : g.length_s;
    }
    s = std::min(s, g.length_s);
    auto at = micros(static_cast<long long>(std::llround((g.t0_s + s) * 1e6)));
    if (at >= length_) return std::nullopt;
    return at;
  }
  return std::nullopt;
}

long long arrival_schedule::total() const {
  // Every k below A(end) starts before the end (A is continuous and non-decreasing).
  double end_due = due_by(std::chrono::duration_cast<micros>(length_));
  auto n = static_cast<long long>(std::ceil(end_due - 1e-9 * std::max(1.0, end_due)));
  return std::max(0LL, n);
}

int vus_target_at(int start_vus, const std::vector<stage>& stages, std::chrono::milliseconds t) {
  double from = start_vus;
  auto t0 = std::chrono::milliseconds(0);
  for (const auto& s : stages) {
    if (t < t0 + s.duration) {
      double f = static_cast<double>((t - t0).count()) / static_cast<double>(s.duration.count());
      return static_cast<int>(std::floor(from + (s.target - from) * f + 1e-9));
    }
    from = s.target;
    t0 += s.duration;
  }
  return static_cast<int>(std::floor(from + 1e-9));
}

}  // namespace drover::runner
