#include "harness/runner/worker.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "harness/common/error.hpp"
#include "harness/runner/worker_impl.hpp"
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_api.hpp"

namespace drover::runner {

worker::impl::impl(worker& owner, int index, const run_config& config, std::string setup_data_json,
                   std::vector<std::string> module_paths, worker_hooks hooks, worker_share share)
    : owner(owner),
      config(config),
      share(share),
      io(1),
      guard(asio::make_work_guard(io)),
      schedule_timer(io),
      env{io, nullptr, rec, {}, config.target, config.connect, config.recv_timeout, config.env, config.quiet, false,
          std::move(hooks.observe), index},
      setup_data_json(std::move(setup_data_json)),
      module_paths(std::move(module_paths)) {}

void worker::impl::load() {
  // Built-in counters exist from the start, so "ws_errors.count < 1" holds on a clean run.
  using namespace metrics::names;
  for (auto name : {ws_msgs_sent, ws_msgs_received, ws_sessions, ws_errors, iterations}) rec.counter(name);
  rec.counter(data_sent, metrics::value_unit::bytes);
  rec.counter(data_received, metrics::value_unit::bytes);
  const auto kind = config.model.kind;
  if (is_arrival_rate(kind)) {
    // Shown even when 0: "no iteration was dropped" is a result of an arrival-rate run.
    rec.counter(dropped_iterations_metric);
    rec.trend(iteration_start_lag_metric);
  }
  // vus_max: the clients this worker can have; for a pool, its pre-allocated size (it grows
  // as the pool does).
  double most = kind == executor_kind::constant_vus || kind == executor_kind::per_vu_iterations
                    ? static_cast<double>(owner.slots_.size())
                : is_arrival_rate(kind) ? static_cast<double>(share.of(config.model.pre_allocated_vus))
                                        : static_cast<double>(share.of(max_clients(config.model)));
  rec.set_gauge(vus_max, most);
  rec.set_gauge(vus, 0);

  env.case_results = &case_results;
  tls = transport::make_tls_context(config.tls);
  env.tls = tls.get();
  lua = std::make_unique<scenario::lua_state>(config.allow_unsafe_lua ? scenario::lua_policy::unsafe
                                                                      : scenario::lua_policy::sandboxed);
  lua_State* L = lua->get();
  for (const auto& dir : module_paths) lua->add_module_path(dir);
  scenario::install_api(L, env);
  lua->run_file(config.scenario_path);
  if (!config.exec.empty()) {
    // A mixed fleet's scenario runs the function its `exec` names (checked when the options were read).
    lua_getglobal(L, config.exec.c_str());
    if (!lua_isfunction(L, -1))
      throw scenario_error(config.scenario_path + ": options.scenarios." + config.scenario_name + ".exec: no `" +
                           config.exec + "` function defined");
  } else {
    lua_getglobal(L, "client");
    if (!lua_isfunction(L, -1)) {
      lua_pop(L, 1);
      lua_getglobal(L, "default");
    }
  }
  if (!lua_isfunction(L, -1)) throw scenario_error(config.scenario_path + ": no `client` function defined");
  function_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (!setup_data_json.empty()) {
    if (!scenario::push_json_text(L, setup_data_json, nullptr)) throw scenario_error("setup() data is not plain data");
    data_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
}

void worker::impl::go(transport::clock::time_point start_at) {
  start = start_at;
  env.run_start = start_at;
  switch (config.model.kind) {
    case executor_kind::constant_vus:
    case executor_kind::per_vu_iterations: schedule_slots(); break;
    case executor_kind::ramping_vus: ramp_tick(); break;
    case executor_kind::constant_arrival_rate:
    case executor_kind::ramping_arrival_rate: start_pool(); break;
  }
}

void worker::impl::schedule_slots() {
  if (stopping) return;
  auto now = transport::clock::now();
  while (next_slot < owner.slots_.size() && start + owner.slots_[next_slot].start_at <= now) {
    make_client(owner.slots_[next_slot++].id, config.iterations)->start();
    if (stopping) return;
  }
  if (next_slot >= owner.slots_.size()) return;
  schedule_timer.expires_at(start + owner.slots_[next_slot].start_at);
  schedule_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) schedule_slots();
  });
}

std::shared_ptr<scenario::client> worker::impl::make_client(int id, long long max_iterations) {
  auto c = std::make_shared<scenario::client>(env, lua->get(), id, max_iterations, function_ref, data_ref,
                                              [this](scenario::client& done) { on_client_finished(done); });
  clients.push_back(c);
  ++running;
  owner.started_.fetch_add(1, std::memory_order_relaxed);
  if (!is_arrival_rate(config.model.kind)) rec.set_gauge(metrics::names::vus, running);
  return c;
}

void worker::impl::on_client_finished(scenario::client& c) {
  --running;
  if (!is_arrival_rate(config.model.kind)) rec.set_gauge(metrics::names::vus, running);
  if (c.connected_once()) owner.connected_.fetch_add(1, std::memory_order_relaxed);
  owner.finished_.fetch_add(1, std::memory_order_relaxed);
  // This runs inside the client's own call stack: drop our reference later, not now.
  if (!sweep_posted) {
    sweep_posted = true;
    asio::post(io, [this] { sweep(); });
  }
  check_drained();
}

void worker::impl::sweep() {
  sweep_posted = false;
  std::erase_if(clients, [](const auto& c) { return c->finished(); });
}

void worker::impl::check_drained() {
  if (stopping && running == 0) owner.dynamic_drained_.store(true, std::memory_order_release);
}

void worker::impl::begin_stop() {
  if (stopping) return;
  stopping = true;
  env.stopping = true;
  schedule_timer.cancel();
  // Planned clients whose start time never came count as finished: they never ran.
  int never_started = static_cast<int>(owner.slots_.size() - next_slot);
  next_slot = owner.slots_.size();
  owner.finished_.fetch_add(never_started, std::memory_order_relaxed);
  // Idle pool clients have nothing to finish; the copy keeps them alive while they end.
  auto idle_now = idle;
  idle.clear();
  for (auto& w : idle_now)
    if (auto c = w.lock()) c->abort();
  auto live = clients;
  for (auto& c : live) c->on_stopping();
  check_drained();
}

void worker::impl::hard_stop() {
  begin_stop();
  auto live = clients;
  for (auto& c : live) c->abort();
}

worker::worker(int index, const run_config& config, std::vector<client_slot> clients, std::string setup_data_json,
               std::vector<std::string> module_paths, worker_hooks hooks, worker_share share)
    : slots_(std::move(clients)) {
  impl_ = std::make_unique<impl>(*this, index, config, std::move(setup_data_json), std::move(module_paths),
                                 std::move(hooks), share);
}

worker::~worker() {
  if (thread_.joinable()) {
    hard_stop();
    finish();
    thread_.join();
  }
}

bool worker::drained() const {
  const auto kind = impl_->config.model.kind;
  if (kind == executor_kind::constant_vus || kind == executor_kind::per_vu_iterations)
    return clients_finished() >= static_cast<int>(slots_.size());
  return dynamic_drained_.load(std::memory_order_acquire);
}

std::future<void> worker::load() {
  auto promise = std::make_shared<std::promise<void>>();
  auto future = promise->get_future();
  thread_ = std::thread([this, promise] {
    try {
      impl_->load();
      promise->set_value();
    } catch (...) {
      promise->set_exception(std::current_exception());
      impl_->guard.reset();
      ended_.store(true);
      return;
    }
    impl_->io.run();
    ended_.store(true);
    // Every client has ended; drop them (and their Lua threads) before the state closes.
    impl_->idle.clear();
    impl_->active.clear();
    impl_->retired.clear();
    impl_->clients.clear();
    impl_->lua.reset();
  });
  return future;
}

void worker::go(transport::clock::time_point start) {
  asio::post(impl_->io, [this, start] { impl_->go(start); });
}

void worker::begin_stop() {
  asio::post(impl_->io, [this] { impl_->begin_stop(); });
}

void worker::hard_stop() {
  asio::post(impl_->io, [this] { impl_->hard_stop(); });
}

void worker::finish() {
  asio::post(impl_->io, [this] {
    impl_->hard_stop();
    impl_->guard.reset();
  });
}

void worker::join() {
  if (!thread_.joinable()) return;
  // Closing handshakes still in flight get a moment; then the loop is stopped regardless
  // (io_context::stop is thread-safe), so a server that never answers a close cannot hang us.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!ended_.load() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!ended_.load()) impl_->io.stop();
  thread_.join();
}

std::optional<progress_snapshot> worker::snapshot(std::chrono::milliseconds wait) {
  auto promise = std::make_shared<std::promise<progress_snapshot>>();
  auto future = promise->get_future();
  asio::post(impl_->io, [this, promise] {
    progress_snapshot s;
    auto& r = impl_->rec;
    auto counter = [&r](std::string_view name) {
      auto* e = r.find(name);
      return e && e->counter ? e->counter->total : 0.0;
    };
    s.running = impl_->running;
    s.finished = clients_finished();
    s.iterations = counter(metrics::names::iterations);
    s.msgs_sent = counter(metrics::names::ws_msgs_sent);
    s.msgs_received = counter(metrics::names::ws_msgs_received);
    s.errors = counter(metrics::names::ws_errors);
    s.dropped_iterations = counter(dropped_iterations_metric);
    auto lua_errors = r.errors().find("lua_error");
    if (lua_errors != r.errors().end()) s.errors += static_cast<double>(lua_errors->second.count);
    const auto* it = r.find(metrics::names::iteration_duration);
    if (it && it->trend && it->trend->values.count() > 0) {
      s.latency = it->trend->values;
    } else if (const auto* conn = r.find(metrics::names::ws_connecting); conn && conn->trend) {
      s.latency = conn->trend->values;
      s.latency_is_iterations = false;
    }
    promise->set_value(std::move(s));
  });
  if (future.wait_for(wait) != std::future_status::ready) return std::nullopt;
  return future.get();
}

void worker::record_intervals() { impl_->rec.track_intervals(); }

std::future<metrics::interval_point> worker::request_interval() {
  auto promise = std::make_shared<std::promise<metrics::interval_point>>();
  auto future = promise->get_future();
  asio::post(impl_->io, [this, promise] { promise->set_value(final_interval()); });
  return future;
}

metrics::interval_point worker::final_interval() {
  auto p = impl_->intervals.take(impl_->rec);
  p.active_clients = impl_->running;
  return p;
}

metrics::recorder& worker::recorder() { return impl_->rec; }
std::vector<std::string>& worker::case_results() { return impl_->case_results; }

}  // namespace drover::runner
