#pragma once
// Private to worker.cpp and worker_models.cpp: the state of one worker, touched only on its
// thread (every method runs in a handler of `io`).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/metrics/interval_tracker.hpp"
#include "harness/runner/arrival_schedule.hpp"
#include "harness/runner/worker.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/lua_state.hpp"

namespace drover::runner {

namespace asio = boost::asio;

// Metrics of the workload models besides the built-in ones (metrics/recorder.hpp).
inline constexpr std::string_view dropped_iterations_metric = "dropped_iterations";    // counter
inline constexpr std::string_view iteration_start_lag_metric = "iteration_start_lag";  // trend, ms

struct worker::impl {
  impl(worker& owner, int index, const run_config& config, std::string setup_data_json,
       std::vector<std::string> module_paths, worker_hooks hooks, worker_share share);

  worker& owner;
  const run_config& config;
  worker_share share;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  asio::steady_timer schedule_timer;
  metrics::recorder rec;
  metrics::interval_tracker intervals;  // only used when rec tracks intervals
  std::vector<std::string> case_results;
  scenario::client_environment env;
  std::string setup_data_json;
  std::vector<std::string> module_paths;
  std::unique_ptr<asio::ssl::context> tls;
  std::unique_ptr<scenario::lua_state> lua;
  int function_ref = LUA_NOREF;
  int data_ref = LUA_NOREF;
  // Live clients (finished ones are swept out after their last handler: see sweep()).
  std::vector<std::shared_ptr<scenario::client>> clients;
  bool sweep_posted = false;
  std::size_t next_slot = 0;
  int running = 0;        // clients started and not finished
  long long created = 0;  // clients this worker created in a dynamic model (for their ids)
  bool stopping = false;
  transport::clock::time_point start{};

  // ramping-vus: clients that will not end after their current iteration (newest last), and
  // the retired ones still in their last iteration with the time they are stopped at.
  std::vector<std::weak_ptr<scenario::client>> active;
  std::vector<std::pair<std::weak_ptr<scenario::client>, transport::clock::time_point>> retired;
  // Arrival-rate: the pool's idle clients, the next iteration number and the schedule.
  std::vector<std::weak_ptr<scenario::client>> idle;
  long long next_k = 0;
  std::optional<arrival_schedule> schedule;
  long long pool_max = 0;

  void load();
  void go(transport::clock::time_point start_at);
  std::shared_ptr<scenario::client> make_client(int id, long long max_iterations);
  void on_client_finished(scenario::client& c);
  void sweep();
  void check_drained();
  void begin_stop();
  void hard_stop();

  // constant-vus, per-vu-iterations (worker.cpp)
  void schedule_slots();
  // ramping-vus (worker_models.cpp)
  void ramp_tick();
  // arrival-rate (worker_models.cpp)
  void start_pool();
  void arrival_tick();
  void dispatch(long long k, transport::clock::time_point intended);
  void back_to_pool(scenario::client& c);  // a pool client's iteration ended
};

}  // namespace drover::runner
