#include "harness/runner/worker.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/common/error.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/json_bridge.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_state.hpp"

namespace drover::runner {

namespace asio = boost::asio;

struct worker::impl {
  impl(worker& owner, int index, const run_config& config, std::string setup_data_json,
       std::vector<std::string> module_paths, worker_hooks hooks)
      : owner(owner),
        config(config),
        io(1),
        guard(asio::make_work_guard(io)),
        schedule_timer(io),
        env{io, nullptr, rec, {}, config.target, config.connect, config.recv_timeout, config.env, config.quiet, false,
            std::move(hooks.observe), index},
        setup_data_json(std::move(setup_data_json)),
        module_paths(std::move(module_paths)) {}

  worker& owner;
  const run_config& config;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  asio::steady_timer schedule_timer;
  metrics::recorder rec;
  std::vector<std::string> case_results;
  scenario::client_environment env;
  std::string setup_data_json;
  std::vector<std::string> module_paths;
  std::unique_ptr<asio::ssl::context> tls;
  std::unique_ptr<scenario::lua_state> lua;
  int function_ref = LUA_NOREF;
  int data_ref = LUA_NOREF;
  std::vector<std::shared_ptr<scenario::client>> clients;
  std::size_t next_slot = 0;
  int running = 0;
  bool stopping = false;

  void load() {
    // Built-in counters exist from the start, so "ws_errors.count < 1" holds on a clean run.
    using namespace metrics::names;
    for (auto name : {ws_msgs_sent, ws_msgs_received, ws_sessions, ws_errors, iterations}) rec.counter(name);
    rec.counter(data_sent, metrics::value_unit::bytes);
    rec.counter(data_received, metrics::value_unit::bytes);
    rec.set_gauge(vus_max, static_cast<double>(owner.slots_.size()));
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
    lua_getglobal(L, "client");
    if (!lua_isfunction(L, -1)) {
      lua_pop(L, 1);
      lua_getglobal(L, "default");
    }
    if (!lua_isfunction(L, -1)) throw scenario_error(config.scenario_path + ": no `client` function defined");
    function_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (!setup_data_json.empty()) {
      if (!scenario::push_json_text(L, setup_data_json, nullptr)) throw scenario_error("setup() data is not plain data");
      data_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
  }

  void schedule_next(transport::clock::time_point start) {
    if (stopping) return;
    auto now = transport::clock::now();
    while (next_slot < owner.slots_.size() && start + owner.slots_[next_slot].start_at <= now) {
      start_client(owner.slots_[next_slot++]);
      if (stopping) return;
    }
    if (next_slot >= owner.slots_.size()) return;
    schedule_timer.expires_at(start + owner.slots_[next_slot].start_at);
    schedule_timer.async_wait([this, start](const boost::system::error_code& ec) {
      if (!ec) schedule_next(start);
    });
  }

  void start_client(const client_slot& slot) {
    auto c = std::make_shared<scenario::client>(env, lua->get(), slot.id, config.iterations, function_ref, data_ref,
                                                [this](scenario::client& done) { on_client_finished(done); });
    clients.push_back(c);
    ++running;
    owner.started_.fetch_add(1, std::memory_order_relaxed);
    rec.set_gauge(metrics::names::vus, running);
    c->start();
  }

  void on_client_finished(scenario::client& c) {
    --running;
    rec.set_gauge(metrics::names::vus, running);
    if (c.connected_once()) owner.connected_.fetch_add(1, std::memory_order_relaxed);
    owner.finished_.fetch_add(1, std::memory_order_relaxed);
  }

  void begin_stop() {
    if (stopping) return;
    stopping = true;
    env.stopping = true;
    schedule_timer.cancel();
    // Clients whose start time never came count as finished: they never ran.
    int never_started = static_cast<int>(owner.slots_.size() - next_slot);
    next_slot = owner.slots_.size();
    owner.finished_.fetch_add(never_started, std::memory_order_relaxed);
    for (auto& c : clients) c->on_stopping();
  }

  void hard_stop() {
    begin_stop();
    for (auto& c : clients) c->abort();
  }
};

worker::worker(int index, const run_config& config, std::vector<client_slot> clients, std::string setup_data_json,
               std::vector<std::string> module_paths, worker_hooks hooks)
    : slots_(std::move(clients)) {
  impl_ = std::make_unique<impl>(*this, index, config, std::move(setup_data_json), std::move(module_paths),
                                 std::move(hooks));
}

worker::~worker() {
  if (thread_.joinable()) {
    hard_stop();
    finish();
    thread_.join();
  }
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
    impl_->clients.clear();
    impl_->lua.reset();
  });
  return future;
}

void worker::go(transport::clock::time_point start) {
  asio::post(impl_->io, [this, start] {
    impl_->env.run_start = start;
    impl_->schedule_next(start);
  });
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
    auto lua_errors = r.errors().find("lua_error");
    if (lua_errors != r.errors().end()) s.errors += static_cast<double>(lua_errors->second.count);
    promise->set_value(s);
  });
  if (future.wait_for(wait) != std::future_status::ready) return std::nullopt;
  return future.get();
}

metrics::recorder& worker::recorder() { return impl_->rec; }
std::vector<std::string>& worker::case_results() { return impl_->case_results; }

}  // namespace drover::runner
