#pragma once
// Tickets and session records of the DataKraken fake. One record per ticket issued: visible
// (GET /api/session/{id}) from the issue, "open" while its socket is, final once the socket
// has closed (or the ticket expired unused).
//
// Memory: a record is a few hundred bytes (counts, never events). Records that are not open
// sit in one list in the order they last changed (issued, closed); above max_sessions the
// oldest is forgotten (its id answers 404, its ticket is unknown). Open records are never
// forgotten; there are as many as open sockets.
//
// Threading: every member function may be called from any thread (one mutex). A record is
// only touched through the registry.
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fakes/datakraken/flags.hpp"
#include "fakes/datakraken/messages.hpp"

namespace drover::fakes::datakraken {

using steady = std::chrono::steady_clock;

struct session_record;

struct issued_ticket {
  std::string ticket;
  std::string session;
};

// The outcome of presenting a ticket at the upgrade.
struct claim_result {
  bool accepted = false;
  std::string refusal;                     // why not ("unknown ticket"): the 401 body or 4001 reason
  std::shared_ptr<session_record> record;  // accepted: what the socket records into (detached when
                                           // a fault let a ticket in that has no record of its own)
  fault_flags faults;                      // the connection's faults plus the ticket's
  listener_mask listeners = 0;             // accepted: the session's listeners
  steady::time_point issued;                // accepted with a ticket: its issue time
};

class registry {
 public:
  // default_listeners: those of a socket that a fault let in without a ticket of its own.
  registry(std::chrono::milliseconds ticket_ttl, std::size_t max_sessions, listener_mask default_listeners);

  // A new ticket and session for `visitor`; faults marked here apply to the socket that uses
  // the ticket and to the record. (Fault same-ticket-per-visitor: the visitor's last ticket
  // again while it is unused and valid.)
  issued_ticket issue(const std::string& visitor, listener_mask listeners, const fault_flags& faults);

  // Checks the ticket (empty: missing) under the connection's faults plus the ticket's and,
  // when accepted with a fresh ticket, marks it used and the record open.
  claim_result claim(std::string_view ticket, const fault_flags& connection_faults);

  // The socket is open (duration counts from here); one event of `type` was recorded.
  void opened(const std::shared_ptr<session_record>& record);
  void count_event(const std::shared_ptr<session_record>& record, std::int64_t type);
  // The socket closed. lost: forget the record (fault needs-end-message).
  void closed(const std::shared_ptr<session_record>& record, std::int64_t duration_ms, bool ended_cleanly, bool lost);

  // The record as JSON text, nullopt when unknown. unknown_found: an unknown id answers a
  // record of zeros (fault unknown-session-found).
  std::optional<std::string> describe(std::string_view id, bool unknown_found) const;

  std::size_t records() const;  // kept, open ones included (for tests)

  // A fresh random token of `hex_digits` hexadecimal digits (tickets, ids, visitors).
  std::string random_hex(std::size_t hex_digits);

 private:
  std::string random_hex_locked(std::size_t hex_digits);
  void forget(const std::shared_ptr<session_record>& record);
  void list_idle(const std::shared_ptr<session_record>& record);
  void trim();

  const std::chrono::milliseconds ttl_;
  const std::size_t max_sessions_;
  const listener_mask default_listeners_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<session_record>> by_id_;
  std::unordered_map<std::string, std::shared_ptr<session_record>> by_ticket_;
  std::unordered_map<std::string, std::shared_ptr<session_record>> by_visitor_;  // the last one issued
  std::list<std::shared_ptr<session_record>> idle_;  // not open, oldest change first
  std::mt19937_64 random_;
};

}  // namespace drover::fakes::datakraken
