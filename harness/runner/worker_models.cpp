// The schedulers of the dynamic workload models, on the worker's thread: ramping-vus (clients
// follow the stages) and the arrival-rate pool (iterations start on schedule on idle clients).
#include <algorithm>

#include "harness/runner/worker_impl.hpp"

namespace drover::runner {

namespace {
// How often ramping-vus compares its clients with the stage's target. A ramp of 1,000 clients
// over 10 s changes the target every 10 ms; starting them 10 ms late is within the target's
// own rounding.
constexpr auto ramp_period = std::chrono::milliseconds(10);
}  // namespace

void worker::impl::ramp_tick() {
  if (stopping) return;
  auto now = transport::clock::now();
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
  auto target = share.of(vus_target_at(config.model.vus, config.model.stages, elapsed));
  std::erase_if(active, [](const auto& w) {
    auto c = w.lock();
    return !c || c->finished() || c->retiring();
  });
  while (static_cast<long long>(active.size()) < target && !stopping) {
    auto c = make_client(share.client_id(created++), 0);
    active.push_back(c);
    c->start();
  }
  // Ramping down: the newest clients end after their current iteration (k6's gracefulRampDown),
  // or are stopped once graceful_stop has passed (a recv that waits for 30 s does not hold a
  // client the stage no longer wants).
  while (static_cast<long long>(active.size()) > target) {
    auto c = active.back().lock();
    active.pop_back();
    if (!c) continue;
    c->retire();
    if (!c->finished()) retired.emplace_back(c, now + config.graceful_stop);
  }
  std::vector<std::shared_ptr<scenario::client>> overdue;
  std::erase_if(retired, [&](const auto& r) {
    auto c = r.first.lock();
    if (!c || c->finished()) return true;
    if (now < r.second) return false;
    overdue.push_back(std::move(c));
    return true;
  });
  for (auto& c : overdue) c->abort();
  schedule_timer.expires_at(now + ramp_period);
  schedule_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) ramp_tick();
  });
}

void worker::impl::start_pool() {
  const auto& m = config.model;
  schedule = m.kind == executor_kind::constant_arrival_rate
                 ? arrival_schedule::constant(m.rate, m.time_unit, config.duration)
                 : arrival_schedule(m.rate, m.stages, m.time_unit);
  pool_max = share.of(m.max_vus);
  auto pre = std::min(share.of(m.pre_allocated_vus), pool_max);
  for (long long i = 0; i < pre; ++i) {
    auto c = make_client(share.client_id(created++), 0);
    c->set_idle_handler([this](scenario::client& done) { back_to_pool(done); });
    idle.push_back(c);
  }
  next_k = share.first();
  arrival_tick();
}

void worker::impl::back_to_pool(scenario::client& c) {
  idle.push_back(c.weak_from_this());
  rec.set_gauge(metrics::names::vus, std::max(0, running - static_cast<int>(idle.size())));
}

void worker::impl::arrival_tick() {
  if (stopping) return;
  auto now = transport::clock::now();
  // Every iteration whose time has come starts now, however late this handler runs: a worker
  // that fell behind starts them in a burst and their lag shows in iteration_start_lag.
  for (;;) {
    auto at = schedule->start_of(next_k);
    if (!at) return;  // the schedule is over; the controller stops the run at its duration
    auto intended = start + std::chrono::duration_cast<transport::clock::duration>(*at);
    if (intended > now) {
      schedule_timer.expires_at(intended);
      schedule_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) arrival_tick();
      });
      return;
    }
    next_k += share.stride();
    dispatch(next_k - share.stride(), intended);
    if (stopping) return;
  }
}

void worker::impl::dispatch(long long /*k*/, transport::clock::time_point intended) {
  std::shared_ptr<scenario::client> c;
  while (!idle.empty() && !c) {
    c = idle.back().lock();
    idle.pop_back();
    if (c && (c->finished() || c->in_iteration())) c.reset();
  }
  if (!c) {
    if (running >= pool_max) {
      // Every client is busy and the pool is at max_vus: the iteration cannot start on time.
      rec.add_counter(dropped_iterations_metric);
      return;
    }
    c = make_client(share.client_id(created++), 0);
    c->set_idle_handler([this](scenario::client& done) { back_to_pool(done); });
    rec.set_gauge(metrics::names::vus_max, running);  // the pool grew
  }
  auto lag = std::chrono::duration<double, std::milli>(transport::clock::now() - intended).count();
  rec.add_trend(iteration_start_lag_metric, std::max(0.0, lag));
  c->run_iteration(intended);
  // vus: the clients in an iteration (the idle ones wait in the pool).
  rec.set_gauge(metrics::names::vus, std::max(0, running - static_cast<int>(idle.size())));
}

}  // namespace drover::runner
