#include "harness/scenario/client.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>

#include <boost/asio/post.hpp>

#include "harness/metrics/recorder.hpp"
#include "harness/protocols/secrets.hpp"

namespace drover::scenario {

namespace {
client*& slot(lua_State* L) { return *static_cast<client**>(lua_getextraspace(L)); }

std::mutex stderr_mutex;
}  // namespace

client::client(client_environment& env, lua_State* main, int id, long long max_iterations, int function_ref,
               int data_ref, std::function<void(client&)> on_finished)
    : env_(env),
      main_(main),
      function_ref_(function_ref),
      data_ref_(data_ref),
      id_(id),
      max_iterations_(max_iterations),
      timer_(env.io),
      on_finished_(std::move(on_finished)) {}

client::~client() {
  if (thread_ref_ != LUA_NOREF) luaL_unref(main_, LUA_REGISTRYINDEX, thread_ref_);
}

client* client::from(lua_State* L) { return slot(L); }

client& client::require(lua_State* L, const char* what) {
  client* c = from(L);
  if (!c) {
    luaL_error(L, "%s can only be called from the client function's own coroutine "
               "(not at the top level of the scenario, in setup/teardown, or in a nested coroutine made with coroutine.create)", what);
  }
  return *c;
}

std::uint64_t client::arm() {
  pending_ = true;
  return ++token_;
}

void client::track(const std::shared_ptr<transport::ws_connection>& conn) {
  if (connections_.size() > 16) {
    std::erase_if(connections_, [](const auto& w) { return w.expired(); });
  }
  connections_.push_back(conn);
}

client::extension* client::find_extension(const void* key) const {
  for (const auto& [k, e] : extensions_)
    if (k == key) return e.get();
  return nullptr;
}

client::extension& client::add_extension(const void* key, std::unique_ptr<extension> e) {
  extensions_.emplace_back(key, std::move(e));
  return *extensions_.back().second;
}

void client::start() { begin_iteration(); }

void client::run_iteration(transport::clock::time_point intended_start) {
  if (finished_ || in_iteration_) return;
  intended_start_ = intended_start;
  begin_iteration();
}

void client::retire() {
  if (finished_ || retiring_) return;
  retiring_ = true;
  if (!in_iteration_) {
    finish();
    return;
  }
  timer_.cancel();  // a sleeping client wakes up and sees vu.running() == false
}

void client::begin_iteration() {
  if (finished_) return;
  if (thread_ref_ == LUA_NOREF) {
    thread_ = lua_newthread(main_);
    thread_ref_ = luaL_ref(main_, LUA_REGISTRYINDEX);
    slot(thread_) = this;
  }
  lua_settop(thread_, 0);
  lua_rawgeti(thread_, LUA_REGISTRYINDEX, function_ref_);
  int nargs = 0;
  if (data_ref_ != LUA_NOREF) {
    lua_rawgeti(thread_, LUA_REGISTRYINDEX, data_ref_);
    nargs = 1;
  }
  // From the intended start when a schedule gave one (it may lie in the past), else now.
  auto now = transport::clock::now();
  iteration_start_ = intended_start_ ? std::min(*intended_start_, now) : now;
  intended_start_.reset();
  in_iteration_ = true;
  resume(nargs);
}

void client::resume(int nargs) {
  pending_ = false;
  int nresults = 0;
  int status = lua_resume(thread_, nullptr, nargs, &nresults);
  if (status == LUA_YIELD) {
    lua_pop(thread_, nresults);
    if (pending_) return;
    lua_pushstring(thread_, "coroutine.yield() was called in the client function itself; use sleep() to wait");
    luaL_traceback(main_, thread_, lua_tostring(thread_, -1), 0);
  } else if (status == LUA_OK) {
    lua_settop(thread_, 0);
    end_iteration(true);
    return;
  } else {
    const char* msg = lua_tostring(thread_, -1);
    std::string text = msg ? msg : std::string("(error object is a ") + luaL_typename(thread_, -1) + " value)";
    luaL_traceback(main_, thread_, text.c_str(), 0);
  }
  std::string report = lua_tostring(main_, -1);
  lua_pop(main_, 1);
  bool first = env_.rec.errors().find("lua_error") == env_.rec.errors().end();
  env_.rec.add_error("lua_error", report, false);
  if (first && !env_.quiet) {
    std::lock_guard lock(stderr_mutex);
    std::fprintf(stderr, "drover: Lua error in client %d (the client stops, the run goes on):\n%s\n", id_,
                 protocols::redact_log(report).c_str());
  }
  end_iteration(false);
}

void client::end_iteration(bool ok) {
  auto elapsed = std::chrono::duration<double, std::milli>(transport::clock::now() - iteration_start_).count();
  ++iteration_;
  in_iteration_ = false;
  env_.rec.add_counter(metrics::names::iterations);
  env_.rec.add_trend(metrics::names::iteration_duration, elapsed);
  close_connections(true);
  if (!ok || env_.stopping || retiring_ || (max_iterations_ > 0 && iteration_ >= max_iterations_)) {
    finish();
    return;
  }
  if (on_idle_) {
    on_idle_(*this);  // back to the pool; the schedule starts its next iteration
    return;
  }
  boost::asio::post(env_.io, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->begin_iteration();
  });
}

void client::on_stopping() {
  if (!finished_) timer_.cancel();  // a sleeping client wakes up and sees vu.running() == false
}

void client::close_connections(bool graceful) {
  for (auto& weak : connections_) {
    auto conn = weak.lock();
    if (!conn) continue;
    if (graceful && conn->is_open()) {
      conn->async_close(1000, "", std::chrono::milliseconds(2000), [](const transport::error_info&) {});
    } else if (!graceful) {
      conn->abort();
    }
  }
  connections_.clear();
  if (graceful)
    for (auto& [key, e] : extensions_) e->iteration_ended();
}

void client::finish() {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  if (thread_ref_ != LUA_NOREF) {
    slot(thread_) = nullptr;
    luaL_unref(main_, LUA_REGISTRYINDEX, thread_ref_);
    thread_ref_ = LUA_NOREF;
    thread_ = nullptr;
  }
  extensions_.clear();  // their connections and pending requests end with the client
  if (on_finished_) on_finished_(*this);
}

void client::abort() {
  if (finished_) return;
  // The transport posts the cancelled completions; by the time they run, finish() has made
  // accepts() refuse them.
  close_connections(false);
  finish();
}

}  // namespace drover::scenario
