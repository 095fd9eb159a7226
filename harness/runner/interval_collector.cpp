#include "harness/runner/interval_collector.hpp"

#include <cstdio>
#include <exception>

#include "harness/metrics/interval_tracker.hpp"

namespace drover::runner {
namespace {

bool has_activity(const metrics::interval_point& p) {
  return p.sessions_opened || p.sessions_closed || p.msgs_sent || p.msgs_received || p.bytes_sent ||
         p.bytes_received || p.iterations || p.dropped_iterations || p.checks_passed || p.checks_failed ||
         !p.errors_by_kind.empty() || !p.close_codes.empty() || !p.trends.empty();
}

}  // namespace

interval_collector::interval_collector(const run_outputs& outputs)
    : interval_ms_(outputs.interval.count()), sinks_(outputs.sinks) {
  std::erase(sinks_, nullptr);
}

interval_collector::~interval_collector() { end_sinks(); }

void interval_collector::add_worker(worker& w, std::string tags) {
  if (!enabled()) return;
  w.record_intervals();
  members_.push_back({&w, std::move(tags)});
}

void interval_collector::start(std::chrono::steady_clock::time_point start,
                               std::chrono::system_clock::time_point started_at) {
  start_ = start;
  started_unix_s_ = std::chrono::duration<double>(started_at.time_since_epoch()).count();
}

void interval_collector::poll(std::chrono::steady_clock::time_point now) {
  if (!enabled() || ended_) return;
  const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
  if (elapsed_ms >= last_boundary_ms_ + interval_ms_) {
    pending p{last_boundary_ms_, elapsed_ms / interval_ms_ * interval_ms_, {}};
    for (auto& m : members_) p.parts.push_back(m.w->request_interval());
    last_boundary_ms_ = p.end_ms;
    pending_.push_back(std::move(p));
  }
  while (!pending_.empty()) {
    auto& front = pending_.front();
    for (auto& f : front.parts)
      if (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    metrics::interval_point point;
    point.start_ms = front.start_ms;
    point.end_ms = front.end_ms;
    for (std::size_t i = 0; i < members_.size(); ++i) merge_interval(point, front.parts[i].get(), members_[i].tags);
    pending_.pop_front();
    emit(point);
  }
}

void interval_collector::finish(std::int64_t end_ms) {
  if (enabled() && !ended_) {
    // A part still unready was never taken (its worker's loop was stopped first): what it
    // would have held is in that worker's final take below, so nothing is lost or counted twice.
    for (auto& p : pending_) {
      metrics::interval_point point;
      point.start_ms = p.start_ms;
      point.end_ms = p.end_ms;
      for (std::size_t i = 0; i < members_.size(); ++i)
        if (p.parts[i].valid() && p.parts[i].wait_for(std::chrono::seconds(0)) == std::future_status::ready)
          merge_interval(point, p.parts[i].get(), members_[i].tags);
      emit(point);
    }
    pending_.clear();
    metrics::interval_point last;
    last.start_ms = last_boundary_ms_;
    last.end_ms = std::max(end_ms, last_boundary_ms_);
    for (auto& m : members_) merge_interval(last, m.w->final_interval(), m.tags);
    // A run that ends on a boundary has no last interval, unless its stopping clients recorded
    // something after it: that gets a 1 ms interval rather than a zero-length one (rates divide by it).
    if (last.end_ms == last.start_ms && has_activity(last)) last.end_ms = last.start_ms + 1;
    if (last.end_ms > last.start_ms) emit(last);
  }
  end_sinks();
}

void interval_collector::emit(metrics::interval_point& point) {
  point.unix_start_s = started_unix_s_ + static_cast<double>(point.start_ms) / 1000.0;
  for (auto& sink : sinks_) {
    if (sink == nullptr) continue;
    try {
      sink->on_interval(point);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "drover: an output failed and is dropped for the rest of the run: %s\n", e.what());
      try {
        sink->on_end();
      } catch (...) {
      }
      sink = nullptr;
    }
  }
}

void interval_collector::end_sinks() {
  if (ended_) return;
  ended_ = true;
  for (auto* sink : sinks_) {
    if (sink == nullptr) continue;
    try {
      sink->on_end();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "drover: an output failed while closing: %s\n", e.what());
    }
  }
}

}  // namespace drover::runner
