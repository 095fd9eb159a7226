#pragma once
// When a fake's run-wide faults (--fault) take effect: at once, or a delay after the fake
// started (--fault-after), so that a fault can begin mid-run, also on connections already open
// ("slow-ack starts after 3 s": latency rises at a known time). Faults asked per connection
// (?fault=) are not scheduled: the client asked for them. Immutable once built; any thread.
#include <chrono>

namespace drover::fakes {

class fault_schedule {
 public:
  using clock = std::chrono::steady_clock;

  // Active from the start.
  fault_schedule() = default;
  // Active from `started + after` on; `after` <= 0 is active from the start.
  fault_schedule(std::chrono::milliseconds after, clock::time_point started) : from_(started + after) {}

  bool active(clock::time_point now = clock::now()) const { return now >= from_; }

 private:
  clock::time_point from_ = clock::time_point::min();
};

}  // namespace drover::fakes
