#pragma once
// The vStats fake's shared state: the monitored servers (online or not, when each last spoke)
// and the dashboards that watch them. Every change becomes an event pushed, in one global
// order, into each dashboard's box (docs/protocols/vstats.md §Status, §Servers).
//
// Threading: every method may be called from any worker thread; one mutex guards servers and
// dashboards. A sweeper timer (on the worker that first calls ensure_sweeper) marks servers
// offline once their agent has been silent for its missed-report limit x report_interval
// (checked every report_interval / 20, between 5 and 100 ms). Dashboard boxes are drained by
// their owners on their own threads.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>

#include "fakes/vstats/tokens.hpp"

namespace drover::fakes::vstats {

struct event {
  enum class kind { metrics, status, server_added, server_removed };
  kind what = kind::metrics;
  bool online = false;  // for status
  std::shared_ptr<const boost::json::object> message;  // the envelope, for faults that rewrite it
  std::shared_ptr<const std::string> text;             // its serialisation, shared by every dashboard
};
using event_ptr = std::shared_ptr<const event>;

event_ptr make_event(event::kind what, boost::json::object message, bool online = false);

// A dashboard's inbox. `wake` is called on the pushing thread, at most once until the next
// take(); it must post the drain to the owner's thread, never run it inline.
class dashboard_box {
 public:
  explicit dashboard_box(std::function<void()> wake) : wake_(std::move(wake)) {}
  void push(event_ptr e);
  std::vector<event_ptr> take();

 private:
  std::mutex mutex_;
  std::vector<event_ptr> pending_;
  bool woken_ = false;
  std::function<void()> wake_;
};

class registry {
 public:
  // The registry must outlive the workers' threads (the sweeper's handler points at it).
  explicit registry(std::chrono::milliseconds report_interval);
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  // Starts the sweeper on ex the first time; later calls do nothing. The timer lives in its own
  // handler, so it dies with that io_context.
  void ensure_sweeper(const boost::asio::any_io_executor& ex);

  void add_dashboard(const std::shared_ptr<dashboard_box>& box);
  void remove_dashboard(const std::shared_ptr<dashboard_box>& box);

  // An agent with a good token connected: server_added when the server is not in the set,
  // then status online when it is not online. missed_limit: silent periods before offline.
  void agent_connected(const server_info& server, int missed_limit);
  // Any sign of life from the server's agent: status online again if it was offline.
  void agent_alive(const std::string& server_id);
  // A metrics report: a sign of life, then a metrics message for every dashboard.
  void agent_metrics(const std::string& server_id, boost::json::object report);
  // The agent closed with 1000: the server leaves the set (server_removed).
  void agent_left(const std::string& server_id);

  std::size_t servers() const;

 private:
  struct entry {
    server_info info;
    bool online = false;
    int missed_limit = 3;
    std::chrono::steady_clock::time_point last_seen;
  };
  void publish_locked(const event_ptr& e);
  void sweep();
  void arm_sweeper(const std::shared_ptr<void>& timer);

  std::chrono::milliseconds report_interval_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> servers_;
  std::vector<std::shared_ptr<dashboard_box>> dashboards_;
  std::once_flag sweeper_started_;
};

}  // namespace drover::fakes::vstats
