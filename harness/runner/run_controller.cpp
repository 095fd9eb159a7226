#include "harness/runner/run_controller.hpp"

#include <unistd.h>

#include <cstdio>
#include <set>
#include <thread>

#include "harness/common/duration.hpp"
#include "harness/runner/control_script.hpp"
#include "harness/runner/progress_line.hpp"

namespace drover::runner {

namespace {

// constant-vus and per-vu-iterations: the clients are known in advance. Client g (0-based,
// across the whole test) belongs to shard g % N, starts at ramp_up * g / vus and has id g + 1;
// within the shard, its clients go round-robin to the workers.
std::vector<std::vector<client_slot>> plan_clients(const run_config& config) {
  std::vector<std::vector<client_slot>> plan(static_cast<std::size_t>(config.workers));
  const auto kind = config.model.kind;
  if (kind != executor_kind::constant_vus && kind != executor_kind::per_vu_iterations) return plan;
  int local = 0;
  for (int g = config.shard_index; g < config.vus; g += config.shard_count, ++local) {
    auto offset = std::chrono::milliseconds(config.vus > 1 ? config.ramp_up.count() * g / config.vus : 0);
    plan[static_cast<std::size_t>(local % config.workers)].push_back({g + 1, offset});
  }
  return plan;
}

// Samples the workers once a second and prints the progress line: rewritten in place on a
// terminal, one line per tick otherwise (a log file gets a readable history).
class progress_printer {
 public:
  explicit progress_printer(const run_config& config) : config_(config), tty_(isatty(STDERR_FILENO) != 0) {}

  void tick(double elapsed_s, const std::vector<worker*>& workers) {
    progress_figures f;
    f.elapsed_s = elapsed_s;
    f.total = config_.duration;
    f.show_dropped = is_arrival_rate(config_.model.kind);
    for (const auto& sc : config_.scenarios) f.show_dropped = f.show_dropped || is_arrival_rate(sc.model.kind);
    double sent = 0, received = 0;
    std::optional<metrics::histogram> latency;
    bool of_iterations = true;
    for (auto& w : workers) {
      auto s = w->snapshot(std::chrono::milliseconds(300));
      if (!s) continue;
      f.active += s->running;
      f.iterations += s->iterations;
      sent += s->msgs_sent;
      received += s->msgs_received;
      f.errors += s->errors;
      f.dropped_iterations += s->dropped_iterations;
      if (s->latency && (!latency || s->latency_is_iterations == of_iterations)) {
        if (!latency || (s->latency_is_iterations && !of_iterations)) {
          latency = *s->latency;
          of_iterations = s->latency_is_iterations;
        } else {
          latency->merge(*s->latency);
        }
      }
    }
    double dt = elapsed_s - last_elapsed_;
    if (dt > 0) {
      f.msgs_out_per_s = (sent - last_sent_) / dt;
      f.msgs_in_per_s = (received - last_received_) / dt;
    }
    last_elapsed_ = elapsed_s;
    last_sent_ = sent;
    last_received_ = received;
    if (latency && latency->count() > 0) {
      f.p99_ms = static_cast<double>(latency->value_at_percentile(99)) / 1000.0;  // recorded in µs
      f.p99_of = of_iterations ? "iteration_duration" : "ws_connecting";
    }
    std::string line = format_progress(f);
    if (tty_) {
      // Pad over a longer previous line, then return to the line's start.
      std::string padded = line;
      if (padded.size() < last_width_) padded.append(last_width_ - padded.size(), ' ');
      last_width_ = line.size();
      std::fprintf(stderr, "\r%s", padded.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
    printed_ = true;
  }

  // Ends the in-place line so that what follows starts on its own line.
  void done() {
    if (tty_ && printed_) std::fprintf(stderr, "\n");
    printed_ = false;
    last_width_ = 0;
  }

 private:
  const run_config& config_;
  bool tty_;
  bool printed_ = false;
  std::size_t last_width_ = 0;
  double last_elapsed_ = 0, last_sent_ = 0, last_received_ = 0;
};

}  // namespace

namespace {

// The workers of one scenario (the whole run for a single-scenario file): they start at the
// scenario's start_time and stop at its own end.
struct scenario_group {
  const run_config* config;
  std::vector<std::unique_ptr<worker>> workers;
  bool started = false;
  bool stopping = false;
  bool hard_stopped = false;
  transport::clock::time_point stop_at{};
};

}  // namespace

run_result execute_run(const run_config& config, const std::string& setup_data_json, const std::atomic<int>& interrupts,
                       const hooks_factory& hooks, const run_outputs& outputs) {
  using namespace std::chrono;
  const bool fleet = !config.scenarios.empty();
  interval_collector intervals(outputs);
  auto modules = module_paths_for(config.scenario_path);
  std::vector<scenario_group> groups;
  std::vector<worker*> all;
  int next_index = 0;  // worker indexes run across the groups (hooks, env.worker_index)
  auto add_group = [&](const run_config& sc) {
    scenario_group g{&sc, {}};
    auto plan = plan_clients(sc);
    for (int i = 0; i < sc.workers; ++i) {
      worker_share share{sc.shard_index, sc.shard_count, i, sc.workers};
      int index = next_index++;
      g.workers.push_back(std::make_unique<worker>(index, sc, std::move(plan[static_cast<std::size_t>(i)]),
                                                   setup_data_json, modules, hooks ? hooks(index) : worker_hooks{},
                                                   share));
      all.push_back(g.workers.back().get());
      intervals.add_worker(*all.back(), fleet ? tag_list(sc) : std::string());
    }
    groups.push_back(std::move(g));
  };
  if (fleet) {
    for (const auto& sc : config.scenarios) add_group(sc);
  } else {
    add_group(config);
  }
  std::vector<std::future<void>> loaded;
  for (auto* w : all) loaded.push_back(w->load());
  for (auto& f : loaded) f.get();  // rethrows a scenario_error; ~worker stops the rest

  run_result result;
  result.started_at = system_clock::now();
  auto start = transport::clock::now();
  intervals.start(start, result.started_at);

  auto all_finished = [&] {
    for (auto* w : all)
      if (!w->drained()) return false;
    return true;
  };
  auto stop_group = [](scenario_group& g, transport::clock::time_point now) {
    if (g.stopping) return;
    g.stopping = true;
    g.stop_at = now;
    for (auto& w : g.workers) w->begin_stop();
  };
  auto hard_stop_group = [](scenario_group& g) {
    if (g.hard_stopped) return;
    g.hard_stopped = true;
    for (auto& w : g.workers) w->hard_stop();
  };
  auto next_progress = start + seconds(1);
  progress_printer progress(config);
  int seen_interrupts = 0;
  for (bool first = true; first || !all_finished(); first = false) {
    if (!first) std::this_thread::sleep_for(milliseconds(20));
    auto now = transport::clock::now();
    int signals = interrupts.load();
    if (signals > seen_interrupts) {
      seen_interrupts = signals;
      result.interrupted = true;
      if (signals == 1) {
        if (!config.quiet) progress.done();
        if (!config.quiet) std::fprintf(stderr, "drover: interrupted, stopping clients (Ctrl-C again to stop at once)\n");
      } else {
        for (auto& g : groups) hard_stop_group(g);
      }
    }
    for (auto& g : groups) {
      const auto begin = start + g.config->start_time;
      // A scenario that has not started when the run is interrupted never starts: begin_stop
      // counts its planned clients as finished.
      if (!g.started && !g.stopping && !result.interrupted && now >= begin) {
        g.started = true;
        for (auto& w : g.workers) w->go(begin);
      }
      if (!g.stopping && (result.interrupted || (g.started && now - begin >= g.config->duration))) stop_group(g, now);
      auto grace = result.interrupted ? std::min(g.config->graceful_stop, milliseconds(2000)) : g.config->graceful_stop;
      if (g.stopping && !g.hard_stopped && now - g.stop_at >= grace) hard_stop_group(g);
    }
    intervals.poll(now);
    if (!config.quiet && now >= next_progress) {
      progress.tick(duration<double>(now - start).count(), all);
      next_progress += seconds(1);
    }
  }
  if (!config.quiet) progress.done();
  result.elapsed_seconds = duration<double>(transport::clock::now() - start).count();
  result.ended_at = system_clock::now();
  for (auto* w : all) w->finish();
  for (auto* w : all) w->join();
  intervals.finish(static_cast<std::int64_t>(result.elapsed_seconds * 1000.0));
  // Thresholds whose tags pick several scenarios, or a subset of one's tags
  // ("x{kind:phone}"), are judged on a sub-metric of their own: the sum of those scenarios'.
  std::set<std::string> extra_tag_lists;
  if (fleet) {
    std::set<std::string> exact;
    for (const auto& sc : config.scenarios) exact.insert(tag_list(sc));
    for (const auto& spec : config.thresholds) {
      auto t = metrics::split_tagged_name(spec.metric);
      if (t.tags.empty()) continue;
      std::string list = metrics::canonical_tagged_name({"", t.tags});
      list = list.substr(1, list.size() - 2);
      if (!exact.count(list)) extra_tag_lists.insert(list);
    }
  }
  for (auto& g : groups) {
    for (auto& w : g.workers) {
      result.merged.merge(w->recorder());
      if (fleet) {
        result.merged.merge_metrics_tagged(w->recorder(), tag_list(*g.config));
        for (const auto& list : extra_tag_lists)
          if (tags_match(*g.config, metrics::split_tagged_name("x{" + list + "}").tags))
            result.merged.merge_metrics_tagged(w->recorder(), list);
      }
      result.vus_started += w->clients_started();
      result.vus_connected += w->clients_connected();
      for (auto& c : w->case_results()) result.case_results.push_back(std::move(c));
    }
  }
  for (const auto& spec : config.thresholds)
    result.thresholds.push_back(metrics::evaluate_threshold(spec, result.merged, result.elapsed_seconds));
  return result;
}

}  // namespace drover::runner
