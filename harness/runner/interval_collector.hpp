#pragma once
// Results over time, the controller's side: at each interval boundary (aligned on the run's
// start: interval, 2 * interval, ...) it asks every worker for what it recorded since the last
// boundary, merges the answers into one metrics::interval_point and hands it to each sink, in
// order. Owned and called by execute_run on the main thread only.
//
// A worker answers on its own thread, so a boundary's point is complete only when every worker
// answered; poll() never waits for that, it emits the complete points at its next call. A
// point spans more than one interval only when the controller itself was late past a boundary.
// The last interval ends at the run's end and holds everything recorded after the last
// boundary, including what the workers' last handlers recorded while stopping.
#include <chrono>
#include <cstdint>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "harness/metrics/interval_series.hpp"
#include "harness/runner/worker.hpp"

namespace drover::runner {

// Outputs that see the run while it goes (metrics/interval_series.hpp).
struct run_outputs {
  // Interval length; zero: no interval is recorded (the sinks still get on_end).
  std::chrono::milliseconds interval{0};
  // Not owned; called on execute_run's thread, in order. A sink that throws is reported on
  // stderr and dropped; the run goes on. Every sink gets on_end exactly once, also when the
  // run fails to start.
  std::vector<metrics::interval_sink*> sinks;
};

class interval_collector {
 public:
  explicit interval_collector(const run_outputs& outputs);
  ~interval_collector();  // on_end for every sink still there, if finish() did not run
  interval_collector(const interval_collector&) = delete;
  interval_collector& operator=(const interval_collector&) = delete;

  bool enabled() const { return interval_ms_ > 0; }
  // tags: the worker's scenario tag list in a mixed fleet ("scenario:a"), empty otherwise: its
  // trends are then also merged as "name{tags}". Before the workers load.
  void add_worker(worker& w, std::string tags);
  void start(std::chrono::steady_clock::time_point start, std::chrono::system_clock::time_point started_at);
  // Asks the workers for the intervals whose boundary `now` passed; emits the complete ones.
  void poll(std::chrono::steady_clock::time_point now);
  // After every worker joined: emits the pending points, the last (short) interval ending at
  // end_ms, then on_end.
  void finish(std::int64_t end_ms);

 private:
  struct member {
    worker* w;
    std::string tags;
  };
  struct pending {
    std::int64_t start_ms, end_ms;
    std::vector<std::future<metrics::interval_point>> parts;  // one per member, same order
  };
  void emit(metrics::interval_point& point);
  void end_sinks();

  std::int64_t interval_ms_;
  std::vector<metrics::interval_sink*> sinks_;
  std::vector<member> members_;
  std::deque<pending> pending_;
  std::chrono::steady_clock::time_point start_{};
  double started_unix_s_ = 0;
  std::int64_t last_boundary_ms_ = 0;
  bool ended_ = false;
};

}  // namespace drover::runner
