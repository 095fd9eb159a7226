#pragma once
// One simulated client (a "VU"): a Lua coroutine in its worker's lua_State that runs the
// scenario's client function, iteration after iteration, until its iteration budget is
// spent, the run stops, or a Lua error ends it.
//
// An I/O call from Lua (sleep, conn:recv, ...) starts an async operation, arms the client
// (arm()) and yields; the completion handler checks accepts(token), pushes its results on
// thread() and calls resume(n). Everything runs on the worker's thread.
// lua_yield and lua_error longjmp (Debian's Lua is built as C): when a C function yields or
// raises, no C++ object with a destructor may be alive in its frame, or what it owns (a
// connection's reference count, a string's buffer) is never released. Start the operation in a
// helper function whose locals are gone when it returns, then yield or raise.
// Ownership: the worker holds clients by shared_ptr; handlers hold weak or shared
// references and check accepts() so that an aborted client is never resumed.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <lua.hpp>

#include "harness/scenario/client_environment.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::scenario {

class client : public std::enable_shared_from_this<client> {
 public:
  // function_ref / data_ref: registry references (in main) of the client function and of the
  // setup() data (LUA_NOREF for none). on_finished is called once when the client ends.
  client(client_environment& env, lua_State* main, int id, long long max_iterations, int function_ref,
         int data_ref, std::function<void(client&)> on_finished);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void start();        // first iteration
  // Arrival-rate pools: one iteration whose duration is measured from `intended_start` (the
  // schedule's time, maybe in the past: coordinated omission is not hidden). When an idle
  // handler is set, a finished iteration calls it instead of starting the next one.
  void run_iteration(transport::clock::time_point intended_start);
  void set_idle_handler(std::function<void(client&)> on_idle) { on_idle_ = std::move(on_idle); }
  bool in_iteration() const { return in_iteration_; }
  // ramping-vus ramping down: the client ends after its current iteration (vu.running() turns
  // false and sleeps end early, as at the run's end), like k6's gracefulRampDown.
  void retire();
  bool retiring() const { return retiring_; }
  void on_stopping();  // the run reached its duration: sleeps end early, no new iteration
  void abort();        // hard stop: connections aborted, coroutine dropped, on_finished called

  int id() const { return id_; }
  long long iteration() const { return iteration_; }
  bool finished() const { return finished_; }
  bool connected_once() const { return connected_once_; }
  void note_connected() { connected_once_ = true; }

  // The client whose coroutine L is, or null (top level of the script, a nested coroutine).
  static client* from(lua_State* L);
  // As from(), but raises a Lua error naming `what` when L is not a client coroutine.
  static client& require(lua_State* L, const char* what);

  client_environment& env() { return env_; }
  lua_State* thread() const { return thread_; }
  boost::asio::steady_timer& timer() { return timer_; }

  // Marks an operation as pending and returns its token; then the C function must
  // `return lua_yield(L, 0);`.
  std::uint64_t arm();
  bool accepts(std::uint64_t token) const { return !finished_ && pending_ && token == token_; }
  void resume(int nargs);

  void track(const std::shared_ptr<transport::ws_connection>& conn);

  // State another API keeps per client across calls (http: cookie jar, kept-alive
  // connections). Owned by the client: iteration_ended() runs at the end of each iteration, and
  // the object is destroyed when the client finishes or is aborted. key: any address unique to
  // that API.
  struct extension {
    virtual ~extension() = default;
    virtual void iteration_ended() = 0;
  };
  extension* find_extension(const void* key) const;
  extension& add_extension(const void* key, std::unique_ptr<extension> e);

 private:
  void begin_iteration();
  void end_iteration(bool ok);
  void finish();
  void close_connections(bool graceful);

  client_environment& env_;
  lua_State* main_;
  lua_State* thread_ = nullptr;
  int thread_ref_ = LUA_NOREF;
  int function_ref_;
  int data_ref_;
  int id_;
  long long max_iterations_;
  long long iteration_ = 0;
  transport::clock::time_point iteration_start_{};
  bool pending_ = false;
  std::uint64_t token_ = 0;
  bool finished_ = false;
  bool connected_once_ = false;
  bool in_iteration_ = false;
  bool retiring_ = false;
  std::optional<transport::clock::time_point> intended_start_;  // set by run_iteration
  std::function<void(client&)> on_idle_;
  boost::asio::steady_timer timer_;
  std::vector<std::weak_ptr<transport::ws_connection>> connections_;
  std::vector<std::pair<const void*, std::unique_ptr<extension>>> extensions_;
  std::function<void(client&)> on_finished_;
};

}  // namespace drover::scenario
