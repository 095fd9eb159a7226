#pragma once
// When arrival-rate iterations are meant to start. Pure maths, no clock, no threads: the worker
// asks for the intended start of iteration k and starts it then, however the server answers.
//
// The rate (iterations per time unit) is piecewise linear: `start_rate` at 0, then each stage
// moves it linearly to its target over its duration (a constant rate is one stage from r to r).
// The number of iterations due by time t is the integral of the rate, A(t); iteration k
// (0-based) is intended to start at the t where A(t) = k, so iteration 0 starts at 0 and a
// constant rate r gives starts k / r apart. Iterations are numbered across the whole test, so
// that shards and workers can split them by residue (k mod stride == offset) and together
// start exactly the whole schedule.
#include <chrono>
#include <optional>
#include <vector>

#include "harness/runner/executor_config.hpp"

namespace drover::runner {

class arrival_schedule {
 public:
  using micros = std::chrono::microseconds;

  // start_rate and the stages' targets are iterations per time_unit (> 0 ms); rates must not
  // be negative.
  arrival_schedule(double start_rate, std::vector<stage> stages, std::chrono::milliseconds time_unit);
  static arrival_schedule constant(double rate, std::chrono::milliseconds time_unit, std::chrono::milliseconds duration);

  std::chrono::milliseconds length() const { return length_; }
  // A(t): iterations due in [0, t], as a real number (t clamped to [0, length]).
  double due_by(micros t) const;
  // The rate at t, iterations per second.
  double rate_per_second_at(micros t) const;
  // Intended start of iteration k (from the schedule's start), or nullopt when it falls at or
  // after the end (k >= total()).
  std::optional<micros> start_of(long long k) const;
  // Iterations the whole schedule starts: every k with start_of(k) < length.
  long long total() const;

 private:
  struct segment {
    double t0_s, length_s;  // seconds
    double r0, r1;          // iterations per second at the segment's start and end
    double due_before;      // A(t0)
  };
  std::vector<segment> segments_;
  std::chrono::milliseconds length_{0};
};

// The number of clients ramping-vus wants at t from the start: linear between stages,
// rounded down (so a ramp from 0 to 10 over 10 s adds one client per second).
int vus_target_at(int start_vus, const std::vector<stage>& stages, std::chrono::milliseconds t);

}  // namespace drover::runner
