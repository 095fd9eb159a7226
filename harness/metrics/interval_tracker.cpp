#include "harness/metrics/interval_tracker.hpp"

#include <cmath>
#include <utility>

namespace drover::metrics {
namespace {

// The workload models' counter (runner/worker_impl.hpp names it for the runner).
constexpr std::string_view dropped_iterations_name = "dropped_iterations";

std::uint64_t as_count(double delta) { return delta > 0 ? static_cast<std::uint64_t>(std::llround(delta)) : 0; }

}  // namespace

interval_point interval_tracker::take(recorder& rec) {
  interval_point p;
  auto delta = [&](std::string_view name) -> std::uint64_t {
    const auto* e = rec.find(name);
    if (e == nullptr || !e->counter) return 0;
    auto it = counters_.find(name);
    if (it == counters_.end()) it = counters_.emplace(std::string(name), 0.0).first;
    const double d = e->counter->total - it->second;
    it->second = e->counter->total;
    return as_count(d);
  };
  p.sessions_opened = delta(names::ws_sessions);
  p.msgs_sent = delta(names::ws_msgs_sent);
  p.msgs_received = delta(names::ws_msgs_received);
  p.bytes_sent = delta(names::data_sent);
  p.bytes_received = delta(names::data_received);
  p.iterations = delta(names::iterations);
  p.dropped_iterations = delta(dropped_iterations_name);

  std::uint64_t passed = 0, failed = 0;
  for (const auto& [name, c] : rec.checks()) {
    passed += c.passes;
    failed += c.fails;
  }
  p.checks_passed = passed - checks_passed_;
  p.checks_failed = failed - checks_failed_;
  checks_passed_ = passed;
  checks_failed_ = failed;

  for (const auto& [kind, stats] : rec.errors()) {
    auto& last = errors_[kind];
    if (stats.count > last) p.errors_by_kind.emplace(kind, stats.count - last);
    last = stats.count;
  }
  for (const auto& [code, count] : rec.close_codes()) {
    auto& last = close_codes_[code];
    if (count > last) p.close_codes.emplace(code, count - last);
    last = count;
  }

  for (const auto& [name, e] : rec.metrics()) {
    if (!e.trend || !e.trend->interval_values || e.trend->interval_values->count() == 0) continue;
    auto& out = p.trends[name];
    out.unit = e.trend->unit;
    std::swap(out.values, *e.trend->interval_values);  // out.values was empty: the recorder's is now
  }
  if (auto it = p.trends.find(names::ws_session_duration); it != p.trends.end())
    p.sessions_closed = it->second.values.count();
  return p;
}

void merge_interval(interval_point& into, interval_point&& from, std::string_view tags) {
  into.active_clients += from.active_clients;
  into.sessions_opened += from.sessions_opened;
  into.sessions_closed += from.sessions_closed;
  into.msgs_sent += from.msgs_sent;
  into.msgs_received += from.msgs_received;
  into.bytes_sent += from.bytes_sent;
  into.bytes_received += from.bytes_received;
  into.iterations += from.iterations;
  into.dropped_iterations += from.dropped_iterations;
  into.checks_passed += from.checks_passed;
  into.checks_failed += from.checks_failed;
  for (const auto& [kind, n] : from.errors_by_kind) into.errors_by_kind[kind] += n;
  for (const auto& [code, n] : from.close_codes) into.close_codes[code] += n;
  for (auto& [name, t] : from.trends) {
    if (!tags.empty() && name.find('{') == std::string::npos) {
      std::string tagged = name + "{" + std::string(tags) + "}";
      auto it = into.trends.find(tagged);
      if (it == into.trends.end()) {
        into.trends.emplace(std::move(tagged), interval_point::trend_values{t.unit, t.values});
      } else {
        it->second.values.merge(t.values);
      }
    }
    auto it = into.trends.find(name);
    if (it == into.trends.end()) {
      into.trends.emplace(name, std::move(t));
    } else {
      it->second.values.merge(t.values);
    }
  }
}

}  // namespace drover::metrics
