#pragma once
// A worker: one thread with its own io_context (concurrency hint 1), lua_State, metrics
// recorder and clients. Workers share nothing during a run; the controller talks to a
// worker only through the thread-safe methods below, which post to its io_context.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/metrics/histogram.hpp"
#include "harness/metrics/interval_series.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/runner/run_config.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::runner {

struct client_slot {
  int id;                              // 1-based client number across the run
  std::chrono::milliseconds start_at;  // offset from the run's start (ramp-up)
};

// Which part of the test a worker runs: its shard's share, then its own share of that
// (share_of), and, for arrival-rate models, the iterations k with k % stride() == first().
struct worker_share {
  int shard_index = 0, shard_count = 1;
  int worker_index = 0, worker_count = 1;
  long long of(long long total) const {
    return share_of(share_of(total, shard_index, shard_count), worker_index, worker_count);
  }
  long long first() const { return shard_index + static_cast<long long>(shard_count) * worker_index; }
  long long stride() const { return static_cast<long long>(shard_count) * worker_count; }
  // The id of the j-th client this worker creates (dynamic models): unique across workers and shards.
  int client_id(long long j) const { return static_cast<int>(1 + first() + stride() * j); }
};

struct progress_snapshot {
  int running = 0;
  int finished = 0;
  double iterations = 0;
  double msgs_sent = 0;
  double msgs_received = 0;
  double errors = 0;
  double dropped_iterations = 0;
  // The worker's iteration_duration histogram (ws_connecting when no iteration ended yet),
  // merged by the controller for the progress line's p99.
  std::optional<metrics::histogram> latency;
  bool latency_is_iterations = true;
};

// Hooks a worker gives its clients; built by the controller per worker (may be empty).
struct worker_hooks {
  std::function<void(transport::direction, std::string_view, bool)> observe;
};

class worker {
 public:
  // clients: the planned clients of the constant-vus and per-vu-iterations models (empty for
  // the others, whose clients the worker creates on its own schedule from `share`).
  worker(int index, const run_config& config, std::vector<client_slot> clients, std::string setup_data_json,
         std::vector<std::string> module_paths, worker_hooks hooks, worker_share share = {});
  ~worker();

  // Starts the thread, loads the scenario; the future is ready when loaded (or holds the
  // scenario_error that stopped it).
  std::future<void> load();
  // Starts the clients on schedule from `start` (steady clock). Thread-safe.
  void go(transport::clock::time_point start);
  void begin_stop();  // graceful: no new iteration or client, sleeps cut short. Thread-safe.
  void hard_stop();   // every client aborted. Thread-safe.
  void finish();      // lets the thread end once the last handlers ran (bounded). Thread-safe.
  void join();

  // Thread-safe; waits at most `wait` for the worker to answer (empty result on timeout).
  std::optional<progress_snapshot> snapshot(std::chrono::milliseconds wait);

  // Results over time. record_intervals: only before load(). request_interval (thread-safe)
  // posts a take to the worker: the future gets what it recorded since the previous take, with
  // active_clients set (start/end are the caller's); it stays unready if the worker's loop is
  // stopped before the take runs, and that activity then goes to the next take. final_interval:
  // the same, on the caller's thread, only after join().
  void record_intervals();
  std::future<metrics::interval_point> request_interval();
  metrics::interval_point final_interval();

  // True once every client this worker will ever run has ended: all planned clients finished
  // (planned models), or the run is stopping and no client is left (dynamic models).
  bool drained() const;
  int clients_finished() const { return finished_.load(std::memory_order_relaxed); }
  int clients_started() const { return started_.load(std::memory_order_relaxed); }
  int clients_connected() const { return connected_.load(std::memory_order_relaxed); }

  // Only after join().
  metrics::recorder& recorder();
  std::vector<std::string>& case_results();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::vector<client_slot> slots_;
  std::atomic<int> finished_{0};
  std::atomic<int> started_{0};
  std::atomic<int> connected_{0};
  std::atomic<bool> dynamic_drained_{false};
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

}  // namespace drover::runner
