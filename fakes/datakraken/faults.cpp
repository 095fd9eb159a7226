#include "fakes/datakraken/datakraken_server.hpp"
#include "fakes/datakraken/flags.hpp"

namespace drover::fakes {

const fault_table& datakraken_faults() {
  static const fault_table table = {
      {"no-cookie", "the ticket answer never sets the dk_visitor cookie",
       "docs/protocols/datakraken.md §3.2 (dk_visitor is set when the request has none)"},
      {"cookie-not-kept", "the ticket answer sets a new dk_visitor value even when the request carries one",
       "docs/protocols/datakraken.md §3.2 (a dk_visitor the request carries is kept)"},
      {"ttl-wrong", "the ticket answer's ttl is twice the ticket's real lifetime (30 for 15 s)",
       "docs/protocols/datakraken.md §4.1, §4.3 (ttl states the seconds within which the ticket opens)"},
      {"same-ticket-per-visitor",
       "a visitor whose previous ticket is still unused and valid gets that ticket and session again",
       "docs/protocols/datakraken.md §4.7 (each answer is a new ticket and session)"},
      {"ticket-reusable", "a used ticket opens the socket again (that second socket is not recorded)",
       "docs/protocols/datakraken.md §4.2 (a ticket is single use)"},
      {"ticket-never-expires", "a ticket opens the socket however long after issue",
       "docs/protocols/datakraken.md §4.3 (an opening after the ttl is refused)"},
      {"bad-ticket-accepted", "a ticket that was never issued opens the socket (not recorded)",
       "docs/protocols/datakraken.md §4.5 (unknown ticket: refused)"},
      {"missing-ticket-accepted", "a socket without a ticket (or with ticket=) opens (not recorded)",
       "docs/protocols/datakraken.md §4.5 (missing ticket: refused)"},
      {"refuse-with-4001", "a refused ticket (missing, unknown, used, expired) is accepted, then closed 4001 at once",
       "docs/protocols/datakraken.md §4.6 (HTTP 401; accept then 4001 is the variant: NON-STRICT)"},
      {"close-at-ttl", "closes an open socket with 4001 once its ticket's ttl has passed since issue",
       "docs/protocols/datakraken.md §4.4 (the ttl bounds only the opening)"},
      {"listeners-swapped", "checks events against swapped names (click = type 1, mousemove = type 0)",
       "docs/protocols/datakraken.md §5.1 (click is type 0, mousemove type 1)"},
      {"ignore-listeners", "events of types the session does not listen to are counted (0, 1) or dropped, no 4004",
       "docs/protocols/datakraken.md §5.2 (an unlisted type: close 4004)"},
      {"wants-elapsed", "a mouse move needs \"elapsed\": one with the documented \"ellapsed\" is closed 1007",
       "docs/protocols/datakraken.md §5.4 (the key is ellapsed)"},
      {"accept-before-start", "events before start are counted instead of closing 4003",
       "docs/protocols/datakraken.md §6.1 (an event before start: close 4003)"},
      {"no-bad-json-close", "ignores a frame that is not a JSON object instead of closing 1007",
       "docs/protocols/datakraken.md §6.2 (bad JSON: close 1007)"},
      {"server-sends-data", "answers start and every counted event with {\"type\":\"ack\",\"timestamp\":MS}",
       "docs/protocols/datakraken.md §6.3 (the server sends nothing but pings)"},
      {"lose-events", "does not count every 100th event of a session",
       "docs/protocols/datakraken.md §7.2 (every event sent is counted)"},
      {"needs-end-message", "forgets a session that closed without end (its record answers 404 from then on)",
       "docs/protocols/datakraken.md §3.7 (a session without end is recorded like any other)"},
      {"duration-needs-end", "records duration_ms 0 for a session that closed without end",
       "docs/protocols/datakraken.md §3.7, §3.8, §7.4 (the server measures the duration itself)"},
      {"always-ended-cleanly", "records ended_cleanly true even when no end arrived",
       "docs/protocols/datakraken.md §7.3 (ended_cleanly: end arrived before the close)"},
      {"unknown-session-found", "answers GET /api/session/{id} for an unknown id with 200 and zero counts",
       "docs/protocols/datakraken.md §7.1 (404 while the id is unknown)"},
  };
  return table;
}

namespace datakraken {

fault_flags& fault_flags::operator|=(const fault_flags& o) {
  no_cookie |= o.no_cookie;
  cookie_not_kept |= o.cookie_not_kept;
  ttl_wrong |= o.ttl_wrong;
  same_ticket_per_visitor |= o.same_ticket_per_visitor;
  ticket_reusable |= o.ticket_reusable;
  ticket_never_expires |= o.ticket_never_expires;
  bad_ticket_accepted |= o.bad_ticket_accepted;
  missing_ticket_accepted |= o.missing_ticket_accepted;
  refuse_with_4001 |= o.refuse_with_4001;
  close_at_ttl |= o.close_at_ttl;
  accept_before_start |= o.accept_before_start;
  ignore_listeners |= o.ignore_listeners;
  listeners_swapped |= o.listeners_swapped;
  wants_elapsed |= o.wants_elapsed;
  no_bad_json_close |= o.no_bad_json_close;
  server_sends_data |= o.server_sends_data;
  lose_events |= o.lose_events;
  needs_end_message |= o.needs_end_message;
  duration_needs_end |= o.duration_needs_end;
  always_ended_cleanly |= o.always_ended_cleanly;
  unknown_session_found |= o.unknown_session_found;
  return *this;
}

fault_flags resolve_flags(const fault_set& f) {
  fault_flags out;
  out.no_cookie = f.has("no-cookie");
  out.cookie_not_kept = f.has("cookie-not-kept");
  out.ttl_wrong = f.has("ttl-wrong");
  out.same_ticket_per_visitor = f.has("same-ticket-per-visitor");
  out.ticket_reusable = f.has("ticket-reusable");
  out.ticket_never_expires = f.has("ticket-never-expires");
  out.bad_ticket_accepted = f.has("bad-ticket-accepted");
  out.missing_ticket_accepted = f.has("missing-ticket-accepted");
  out.refuse_with_4001 = f.has("refuse-with-4001");
  out.close_at_ttl = f.has("close-at-ttl");
  out.accept_before_start = f.has("accept-before-start");
  out.ignore_listeners = f.has("ignore-listeners");
  out.listeners_swapped = f.has("listeners-swapped");
  out.wants_elapsed = f.has("wants-elapsed");
  out.no_bad_json_close = f.has("no-bad-json-close");
  out.server_sends_data = f.has("server-sends-data");
  out.lose_events = f.has("lose-events");
  out.needs_end_message = f.has("needs-end-message");
  out.duration_needs_end = f.has("duration-needs-end");
  out.always_ended_cleanly = f.has("always-ended-cleanly");
  out.unknown_session_found = f.has("unknown-session-found");
  return out;
}

}  // namespace datakraken
}  // namespace drover::fakes
