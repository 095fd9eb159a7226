#include "harness/runner/run_controller.hpp"

#include <cstdio>
#include <thread>

#include "harness/common/duration.hpp"
#include "harness/runner/control_script.hpp"

namespace drover::runner {

namespace {

std::vector<std::vector<client_slot>> plan_clients(const run_config& config) {
  std::vector<std::vector<client_slot>> plan(static_cast<std::size_t>(config.workers));
  for (int i = 0; i < config.vus; ++i) {
    auto offset = std::chrono::milliseconds(config.vus > 1 ? config.ramp_up.count() * i / config.vus : 0);
    plan[static_cast<std::size_t>(i % config.workers)].push_back({i + 1, offset});
  }
  return plan;
}

void print_progress(double elapsed_s, const run_config& config, const std::vector<std::unique_ptr<worker>>& workers) {
  progress_snapshot total;
  for (auto& w : workers) {
    if (auto s = w->snapshot(std::chrono::milliseconds(300))) {
      total.running += s->running;
      total.iterations += s->iterations;
      total.msgs_sent += s->msgs_sent;
      total.msgs_received += s->msgs_received;
      total.errors += s->errors;
    }
  }
  std::fprintf(stderr, "  %6.1fs/%s  clients %d/%d running  iterations %.0f  msgs sent %.0f received %.0f  errors %.0f\n",
               elapsed_s, format_duration(config.duration).c_str(), total.running, config.vus, total.iterations,
               total.msgs_sent, total.msgs_received, total.errors);
}

}  // namespace

run_result execute_run(const run_config& config, const std::string& setup_data_json, const std::atomic<int>& interrupts,
                       const hooks_factory& hooks) {
  using namespace std::chrono;
  auto plan = plan_clients(config);
  auto modules = module_paths_for(config.scenario_path);
  std::vector<std::unique_ptr<worker>> workers;
  for (int i = 0; i < config.workers; ++i) {
    workers.push_back(std::make_unique<worker>(i, config, std::move(plan[static_cast<std::size_t>(i)]), setup_data_json,
                                               modules, hooks ? hooks(i) : worker_hooks{}));
  }
  std::vector<std::future<void>> loaded;
  for (auto& w : workers) loaded.push_back(w->load());
  for (auto& f : loaded) f.get();  // rethrows a scenario_error; ~worker stops the rest

  run_result result;
  result.started_at = system_clock::now();
  auto start = transport::clock::now();
  for (auto& w : workers) w->go(start);

  auto all_finished = [&] {
    for (auto& w : workers)
      if (w->clients_finished() < w->clients_total()) return false;
    return true;
  };
  bool stopping = false;
  bool hard_stopped = false;
  transport::clock::time_point stop_at{};
  auto next_progress = start + seconds(2);
  int seen_interrupts = 0;
  while (!all_finished()) {
    std::this_thread::sleep_for(milliseconds(20));
    auto now = transport::clock::now();
    int signals = interrupts.load();
    if (signals > seen_interrupts) {
      seen_interrupts = signals;
      result.interrupted = true;
      if (signals == 1 && !stopping) {
        if (!config.quiet) std::fprintf(stderr, "drover: interrupted, stopping clients (Ctrl-C again to stop at once)\n");
      } else {
        for (auto& w : workers) w->hard_stop();
        hard_stopped = true;
      }
    }
    if (!stopping && (now - start >= config.duration || result.interrupted)) {
      stopping = true;
      stop_at = now;
      for (auto& w : workers) w->begin_stop();
    }
    auto grace = result.interrupted ? std::min(config.graceful_stop, milliseconds(2000)) : config.graceful_stop;
    if (stopping && !hard_stopped && now - stop_at >= grace) {
      for (auto& w : workers) w->hard_stop();
      hard_stopped = true;
    }
    if (!config.quiet && now >= next_progress) {
      print_progress(duration<double>(now - start).count(), config, workers);
      next_progress += seconds(2);
    }
  }
  result.elapsed_seconds = duration<double>(transport::clock::now() - start).count();
  result.ended_at = system_clock::now();
  for (auto& w : workers) w->finish();
  for (auto& w : workers) w->join();
  for (auto& w : workers) {
    result.merged.merge(w->recorder());
    result.vus_started += w->clients_started();
    result.vus_connected += w->clients_connected();
    for (auto& c : w->case_results()) result.case_results.push_back(std::move(c));
  }
  for (const auto& spec : config.thresholds)
    result.thresholds.push_back(metrics::evaluate_threshold(spec, result.merged, result.elapsed_seconds));
  return result;
}

}  // namespace drover::runner
