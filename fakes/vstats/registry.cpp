#include "fakes/vstats/registry.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>

#include <boost/json/serialize.hpp>

#include "fakes/vstats/messages.hpp"

namespace drover::fakes::vstats {

namespace json = boost::json;
using clock = std::chrono::steady_clock;

event_ptr make_event(event::kind what, json::object message, bool online) {
  auto e = std::make_shared<event>();
  e->what = what;
  e->online = online;
  e->text = std::make_shared<const std::string>(json::serialize(message));
  e->message = std::make_shared<const json::object>(std::move(message));
  return e;
}

void dashboard_box::push(event_ptr e) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(e));
    if (!woken_) woken_ = wake = true;
  }
  if (wake) wake_();
}

std::vector<event_ptr> dashboard_box::take() {
  std::lock_guard lock(mutex_);
  woken_ = false;
  return std::exchange(pending_, {});
}

registry::registry(std::chrono::milliseconds report_interval) : report_interval_(report_interval) {}

void registry::ensure_sweeper(const boost::asio::any_io_executor& ex) {
  std::call_once(sweeper_started_, [&] { arm_sweeper(std::make_shared<boost::asio::steady_timer>(ex)); });
}

void registry::arm_sweeper(const std::shared_ptr<void>& erased) {
  auto timer = std::static_pointer_cast<boost::asio::steady_timer>(erased);
  timer->expires_after(std::clamp(report_interval_ / 20, std::chrono::milliseconds(5), std::chrono::milliseconds(100)));
  timer->async_wait([this, timer](boost::system::error_code ec) {
    if (ec) return;
    sweep();
    arm_sweeper(timer);
  });
}

void registry::add_dashboard(const std::shared_ptr<dashboard_box>& box) {
  std::lock_guard lock(mutex_);
  dashboards_.push_back(box);
}

void registry::remove_dashboard(const std::shared_ptr<dashboard_box>& box) {
  std::lock_guard lock(mutex_);
  dashboards_.erase(std::remove(dashboards_.begin(), dashboards_.end(), box), dashboards_.end());
}

void registry::publish_locked(const event_ptr& e) {
  for (const auto& box : dashboards_) box->push(e);
}

void registry::agent_connected(const server_info& server, int missed_limit) {
  std::lock_guard lock(mutex_);
  auto [it, added] = servers_.try_emplace(server.id);
  entry& s = it->second;
  s.missed_limit = missed_limit;
  s.last_seen = clock::now();
  if (added) {
    s.info = server;
    publish_locked(make_event(event::kind::server_added, envelope("server_added", added_data(server))));
  }
  if (!s.online) {
    s.online = true;
    publish_locked(make_event(event::kind::status, envelope("status", status_data(server.id, true)), true));
  }
}

void registry::agent_alive(const std::string& server_id) {
  std::lock_guard lock(mutex_);
  auto it = servers_.find(server_id);
  if (it == servers_.end()) return;  // removed meanwhile
  it->second.last_seen = clock::now();
  if (!it->second.online) {
    it->second.online = true;
    publish_locked(make_event(event::kind::status, envelope("status", status_data(server_id, true)), true));
  }
}

void registry::agent_metrics(const std::string& server_id, json::object report) {
  // Serialised outside the lock; one agent's reports come from one thread, so their order holds.
  auto e = make_event(event::kind::metrics, envelope("metrics", metrics_data(server_id, std::move(report))));
  agent_alive(server_id);
  std::lock_guard lock(mutex_);
  if (servers_.count(server_id)) publish_locked(e);
}

void registry::agent_left(const std::string& server_id) {
  std::lock_guard lock(mutex_);
  if (servers_.erase(server_id) == 0) return;
  publish_locked(make_event(event::kind::server_removed, envelope("server_removed", removed_data(server_id))));
}

std::size_t registry::servers() const {
  std::lock_guard lock(mutex_);
  return servers_.size();
}

void registry::sweep() {
  std::lock_guard lock(mutex_);
  auto now = clock::now();
  for (auto& [id, s] : servers_) {
    if (s.online && now - s.last_seen >= report_interval_ * s.missed_limit) {
      s.online = false;
      publish_locked(make_event(event::kind::status, envelope("status", status_data(id, false)), false));
    }
  }
}

}  // namespace drover::fakes::vstats
