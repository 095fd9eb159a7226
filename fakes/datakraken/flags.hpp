#pragma once
// The DataKraken faults of one ticket, connection or HTTP request, resolved once from a
// fault_set into plain flags (small enough to keep in every session record). Any thread.
#include "fakes/common/faults.hpp"

namespace drover::fakes::datakraken {

struct fault_flags {
  // ticket answer (GET /api/session)
  bool no_cookie = false, cookie_not_kept = false, ttl_wrong = false, same_ticket_per_visitor = false;
  // ticket check at the upgrade, and the ticket's lifetime
  bool ticket_reusable = false, ticket_never_expires = false, bad_ticket_accepted = false;
  bool missing_ticket_accepted = false, refuse_with_4001 = false, close_at_ttl = false;
  // the socket
  bool accept_before_start = false, ignore_listeners = false, listeners_swapped = false, wants_elapsed = false;
  bool no_bad_json_close = false, server_sends_data = false;
  // the session record
  bool lose_events = false, needs_end_message = false, duration_needs_end = false;
  bool always_ended_cleanly = false, unknown_session_found = false;

  fault_flags& operator|=(const fault_flags& other);
};

fault_flags resolve_flags(const fault_set& faults);

}  // namespace drover::fakes::datakraken
