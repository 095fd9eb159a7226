#include "fakes/datakraken/registry.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace drover::fakes::datakraken {

namespace json = boost::json;

struct session_record {
  std::string id, ticket, visitor;
  listener_mask listeners = 0;
  fault_flags faults;
  steady::time_point issued, opened;
  enum class phase { issued, open, closed } state = phase::issued;
  bool used = false;
  bool detached = false;  // in no table: a socket a fault let in without a ticket of its own
  std::uint64_t counts[event_types] = {};
  std::int64_t duration_ms = 0;
  bool ended_cleanly = false;
  bool listed = false;  // in idle_, at pos
  std::list<std::shared_ptr<session_record>>::iterator pos;
};

registry::registry(std::chrono::milliseconds ticket_ttl, std::size_t max_sessions, listener_mask default_listeners)
    : ttl_(ticket_ttl), max_sessions_(max_sessions), default_listeners_(default_listeners), random_(std::random_device{}()) {}

std::string registry::random_hex_locked(std::size_t hex_digits) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(hex_digits);
  while (out.size() < hex_digits) {
    std::uint64_t bits = random_();
    for (int i = 0; i < 16 && out.size() < hex_digits; ++i, bits >>= 4) out.push_back(digits[bits & 15]);
  }
  return out;
}

std::string registry::random_hex(std::size_t hex_digits) {
  std::lock_guard lock(mutex_);
  return random_hex_locked(hex_digits);
}

issued_ticket registry::issue(const std::string& visitor, listener_mask listeners, const fault_flags& faults) {
  auto record = std::make_shared<session_record>();
  record->visitor = visitor;
  record->listeners = listeners;
  record->faults = faults;
  record->issued = steady::now();
  std::lock_guard lock(mutex_);
  if (faults.same_ticket_per_visitor) {
    auto last = by_visitor_.find(visitor);
    if (last != by_visitor_.end() && !last->second->used && record->issued - last->second->issued < ttl_) {
      list_idle(last->second);
      return {last->second->ticket, last->second->id};
    }
  }
  // 128-bit tickets and 64-bit ids: a repeat is practically impossible, but a repeat would
  // hand one record to two browsers, so it is checked (a few tries at most).
  for (int i = 0; i < 8 && (record->ticket.empty() || by_ticket_.count(record->ticket)); ++i)
    record->ticket = random_hex_locked(32);
  for (int i = 0; i < 8 && (record->id.empty() || by_id_.count(record->id)); ++i) record->id = random_hex_locked(16);
  by_ticket_[record->ticket] = record;
  by_id_[record->id] = record;
  by_visitor_[visitor] = record;
  list_idle(record);
  trim();
  return {record->ticket, record->id};
}

claim_result registry::claim(std::string_view ticket, const fault_flags& connection_faults) {
  claim_result out;
  out.faults = connection_faults;
  auto detached = [&](listener_mask listeners) {
    out.accepted = true;
    out.record = std::make_shared<session_record>();
    out.record->detached = true;
    out.record->used = true;
    out.record->state = session_record::phase::open;
    out.record->opened = steady::now();
    out.listeners = listeners;
    return out;
  };
  auto refuse = [&](std::string why) {
    out.refusal = std::move(why);
    return out;
  };
  std::lock_guard lock(mutex_);
  if (ticket.empty()) {
    if (out.faults.missing_ticket_accepted) return detached(default_listeners_);
    return refuse("missing ticket: open /ws?ticket=T with a ticket from GET /api/session");
  }
  auto found = by_ticket_.find(std::string(ticket));
  if (found == by_ticket_.end()) {
    if (out.faults.bad_ticket_accepted) return detached(default_listeners_);
    return refuse("unknown ticket");
  }
  auto record = found->second;
  out.faults |= record->faults;
  out.issued = record->issued;
  bool expired = !out.faults.ticket_never_expires && steady::now() - record->issued >= ttl_;
  if (record->used && !out.faults.ticket_reusable) return refuse("ticket already used");
  if (expired) return refuse("ticket expired");
  if (record->used) {
    detached(record->listeners);
    out.issued = record->issued;
    return out;
  }
  record->used = true;
  record->state = session_record::phase::open;
  record->opened = steady::now();
  if (record->listed) {
    idle_.erase(record->pos);
    record->listed = false;
  }
  out.accepted = true;
  out.record = record;
  out.listeners = record->listeners;
  return out;
}

void registry::opened(const std::shared_ptr<session_record>& record) {
  std::lock_guard lock(mutex_);
  record->opened = steady::now();
}

void registry::count_event(const std::shared_ptr<session_record>& record, std::int64_t type) {
  if (type < 0 || type >= event_types) return;
  std::lock_guard lock(mutex_);
  ++record->counts[type];
}

void registry::closed(const std::shared_ptr<session_record>& record, std::int64_t duration_ms, bool ended_cleanly,
                      bool lost) {
  std::lock_guard lock(mutex_);
  record->state = session_record::phase::closed;
  record->duration_ms = duration_ms;
  record->ended_cleanly = ended_cleanly;
  if (record->detached) return;
  if (lost) return forget(record);
  list_idle(record);
  trim();
}

std::optional<std::string> registry::describe(std::string_view id, bool unknown_found) const {
  json::object out;
  std::lock_guard lock(mutex_);
  auto found = by_id_.find(std::string(id));
  if (found == by_id_.end()) {
    if (!unknown_found) return std::nullopt;
    out["session"] = id;
    out["state"] = "closed";
    out["final"] = true;
    out["events"] = json::object{{"0", 0}, {"1", 0}};
    out["duration_ms"] = 0;
    out["ended_cleanly"] = false;
    return json::serialize(out);
  }
  const session_record& r = *found->second;
  auto now = steady::now();
  const char* state = "closed";
  std::int64_t duration = r.duration_ms;
  if (r.state == session_record::phase::open) {
    state = "open";
    duration = std::chrono::duration_cast<std::chrono::milliseconds>(now - r.opened).count();
  } else if (r.state == session_record::phase::issued) {
    bool expired = !r.faults.ticket_never_expires && now - r.issued >= ttl_;
    state = expired ? "expired" : "issued";
  }
  out["session"] = r.id;
  out["state"] = state;
  out["final"] = std::string_view(state) == "closed" || std::string_view(state) == "expired";
  out["events"] = json::object{{"0", r.counts[0]}, {"1", r.counts[1]}};
  out["duration_ms"] = duration;
  out["ended_cleanly"] = r.ended_cleanly;
  out["visitor"] = r.visitor;
  json::array names;
  for (auto& n : listener_names(r.listeners)) names.emplace_back(n);
  out["listeners"] = std::move(names);
  return json::serialize(out);
}

std::size_t registry::records() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

void registry::forget(const std::shared_ptr<session_record>& record) {
  if (record->listed) {
    idle_.erase(record->pos);
    record->listed = false;
  }
  by_ticket_.erase(record->ticket);
  by_id_.erase(record->id);
  auto last = by_visitor_.find(record->visitor);
  if (last != by_visitor_.end() && last->second == record) by_visitor_.erase(last);
}

void registry::list_idle(const std::shared_ptr<session_record>& record) {
  if (record->listed) idle_.erase(record->pos);
  record->pos = idle_.insert(idle_.end(), record);
  record->listed = true;
}

void registry::trim() {
  while (idle_.size() > max_sessions_) {
    auto oldest = idle_.front();
    forget(oldest);
  }
}

}  // namespace drover::fakes::datakraken
