#pragma once
// A worker: one thread with its own io_context (concurrency hint 1), lua_State, metrics
// recorder and clients. Workers share nothing during a run; the controller talks to a
// worker only through the thread-safe methods below, which post to its io_context.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness/metrics/recorder.hpp"
#include "harness/runner/run_config.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::runner {

struct client_slot {
  int id;                              // 1-based client number across the run
  std::chrono::milliseconds start_at;  // offset from the run's start (ramp-up)
};

struct progress_snapshot {
  int running = 0;
  int finished = 0;
  double iterations = 0;
  double msgs_sent = 0;
  double msgs_received = 0;
  double errors = 0;
};

// Hooks a worker gives its clients; built by the controller per worker (may be empty).
struct worker_hooks {
  std::function<void(transport::direction, std::string_view, bool)> observe;
};

class worker {
 public:
  worker(int index, const run_config& config, std::vector<client_slot> clients, std::string setup_data_json,
         std::vector<std::string> module_paths, worker_hooks hooks);
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

  int clients_total() const { return static_cast<int>(slots_.size()); }
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
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

}  // namespace drover::runner
