#include "fakes/vstats/real_registry.hpp"

#include <algorithm>
#include <cmath>

#include <boost/asio/steady_timer.hpp>

namespace drover::fakes::vstats {

namespace json = boost::json;
using clock = std::chrono::steady_clock;

namespace {

// The real dialect's messages travel as events of kind metrics; only the documented dialect's
// delivery faults look at the kind, and real-dialect dashboards do not use them.
event_ptr raw_event(json::object message) { return make_event(event::kind::metrics, std::move(message)); }

// Clamped before rounding: llround of a value out of range is unspecified.
std::int64_t rounded(const json::value* v, double lo, double hi) {
  if (!v || !v->is_number()) return 0;
  double d = v->to_number<double>();
  if (!std::isfinite(d)) return 0;
  return std::llround(std::clamp(d, lo, hi));
}

std::int64_t percent(const json::value* v) { return rounded(v, 0, 100); }
std::int64_t count(const json::value* v) { return rounded(v, 0, 9.0e15); }

const json::object* object_at(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

}  // namespace

void real_registry::ensure_ticker(const boost::asio::any_io_executor& ex) {
  std::call_once(ticker_started_, [&] {
    next_delta_ = clock::now() + options_.delta_interval;
    arm(std::make_shared<boost::asio::steady_timer>(ex));
  });
}

void real_registry::arm(const std::shared_ptr<void>& erased) {
  auto timer = std::static_pointer_cast<boost::asio::steady_timer>(erased);
  auto period = std::clamp(std::min(options_.delta_interval, options_.report_interval) / 20,
                           std::chrono::milliseconds(5), std::chrono::milliseconds(100));
  timer->expires_after(period);
  timer->async_wait([this, timer](boost::system::error_code ec) {
    if (ec) return;
    tick();
    arm(timer);
  });
}

void real_registry::add_dashboard(const std::shared_ptr<dashboard_box>& box, snapshot_faults faults) {
  std::lock_guard lock(mutex_);
  std::size_t n = order_.size();
  std::size_t announced = n + (faults.miscount ? 1 : 0);
  box->push(raw_event(json::object{{"type", "stream_init"}, {"total_servers", announced}}));
  for (std::size_t i = 0; i < n; ++i) {
    const entry& s = servers_.at(order_[i]);
    json::object server{{"server_id", s.info.id}, {"server_name", s.info.name}, {"location", s.info.location},
                        {"online", s.online && !faults.all_offline}};
    if (s.report) server["metrics"] = *s.report; else server["metrics"] = nullptr;
    box->push(raw_event(json::object{{"type", "stream_server"}, {"index", i}, {"total", announced},
                                     {"server", std::move(server)}}));
  }
  if (!faults.no_stream_end) box->push(raw_event(json::object{{"type", "stream_end"}}));
  dashboards_.push_back(box);
}

void real_registry::remove_dashboard(const std::shared_ptr<dashboard_box>& box) {
  std::lock_guard lock(mutex_);
  dashboards_.erase(std::remove(dashboards_.begin(), dashboards_.end(), box), dashboards_.end());
}

void real_registry::agent_authenticated(const server_info& server) {
  std::lock_guard lock(mutex_);
  auto [it, added] = servers_.try_emplace(server.id);
  if (added) {
    it->second.info = server;
    order_.push_back(server.id);
  }
  it->second.last_seen = clock::now();
  if (!it->second.online) it->second.online = it->second.online_changed = true;
}

void real_registry::agent_report(const std::string& server_id, json::object report) {
  std::lock_guard lock(mutex_);
  auto it = servers_.find(server_id);
  if (it == servers_.end()) return;
  entry& s = it->second;
  s.last_seen = clock::now();
  if (!s.online) s.online = s.online_changed = true;
  s.report = std::move(report);
  s.report_changed = true;
}

// The delta figures of a report: c cpu %, m memory %, d first disk %, rx/tx bytes per second,
// up uptime seconds; all integers.
json::object real_registry::compact(const json::object& r) {
  json::object m;
  const json::object* cpu = object_at(r, "cpu");
  const json::object* mem = object_at(r, "memory");
  const json::object* net = object_at(r, "network");
  m["c"] = percent(cpu ? cpu->if_contains("usage") : nullptr);
  m["m"] = percent(mem ? mem->if_contains("usage_percent") : nullptr);
  const json::value* disks = r.if_contains("disks");
  const json::value* first = disks && disks->is_array() && !disks->as_array().empty() ? &disks->as_array()[0] : nullptr;
  m["d"] = percent(first && first->is_object() ? first->as_object().if_contains("usage_percent") : nullptr);
  m["rx"] = count(net ? net->if_contains("rx_speed") : nullptr);
  m["tx"] = count(net ? net->if_contains("tx_speed") : nullptr);
  m["up"] = count(r.if_contains("uptime"));
  return m;
}

void real_registry::tick() {
  std::lock_guard lock(mutex_);
  auto now = clock::now();
  for (auto& [id, s] : servers_) {
    if (s.online && now - s.last_seen >= options_.report_interval * options_.missed_reports) {
      s.online = false;
      s.online_changed = true;
    }
  }
  if (now < next_delta_) return;
  next_delta_ += options_.delta_interval;
  if (next_delta_ < now) next_delta_ = now + options_.delta_interval;  // a stall: do not burst
  json::array changes;
  for (const auto& id : order_) {
    entry& s = servers_.at(id);
    if (!s.online_changed && !s.report_changed) continue;
    json::object change{{"id", id}};
    if (s.online_changed) change["on"] = s.online;
    if (s.report_changed && s.report) change["m"] = compact(*s.report);
    s.online_changed = s.report_changed = false;
    changes.push_back(std::move(change));
  }
  auto ts = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
  json::object delta{{"type", "delta"}, {"ts", ts}};
  if (!changes.empty()) delta["d"] = std::move(changes);
  auto e = raw_event(std::move(delta));
  for (const auto& box : dashboards_) box->push(e);
}

}  // namespace drover::fakes::vstats
