#include <string>

#include "fakes/wearable/flags.hpp"
#include "fakes/wearable/wearable_server.hpp"

namespace drover::fakes {

const fault_table& wearable_faults() {
  static const fault_table table = [] {
    fault_table t = {
        {"no-hello", "never sends HELLO", "docs/protocols/wearable.md §4.1 (HELLO first, at once)"},
        {"late-hello", "sends HELLO 2 s after the upgrade (timers start then)",
         "docs/protocols/wearable.md §4.1 (HELLO at once)"},
        {"hello-bad-interval", "HELLO's heartbeat_interval is the string \"MS\", not a number",
         "docs/protocols/wearable.md §2.3 (HELLO d.heartbeat_interval is an integer)"},
        {"no-ack", "never answers HEARTBEAT", "docs/protocols/wearable.md §5.3 (an ACK per HEARTBEAT)"},
        {"late-ack", "answers each HEARTBEAT one heartbeat_interval late",
         "docs/protocols/wearable.md §5.3 (each HEARTBEAT gets an ACK, promptly)"},
        {"ack-every-other", "answers only every second HEARTBEAT (1st, 3rd, ...)",
         "docs/protocols/wearable.md §5.3 (one ACK per HEARTBEAT)"},
        {"ready-before-identify", "sends READY right after HELLO, unprompted (and again after IDENTIFY)",
         "docs/protocols/wearable.md §4.5 (READY follows a good IDENTIFY)"},
        {"reuse-token", "accepts a token that was already used",
         "docs/protocols/wearable.md §4.4 (tokens are single use: 4001)"},
        {"no-identify-timeout", "never closes a connection that does not IDENTIFY",
         "docs/protocols/wearable.md §4.2 (no IDENTIFY in time: 4000)"},
        {"no-heartbeat-timeout", "never closes a connection that stops heartbeating",
         "docs/protocols/wearable.md §5.4 (no heartbeat within interval x 1.5: 4005)"},
        {"double-identify-accepted", "answers a second IDENTIFY with READY instead of closing",
         "docs/protocols/wearable.md §4.3 (second IDENTIFY: 4003)"},
        {"consumer-submit-accepted", "silently ignores SUBMIT from a consumer instead of closing",
         "docs/protocols/wearable.md §6.1 (SUBMIT from a consumer: 4004)"},
        {"seq-backwards", "this consumer's 2nd DISPATCH gets a seq lower than the 1st",
         "docs/protocols/wearable.md §8.5 (seq strictly increasing)"},
        {"seq-duplicate", "this consumer's 2nd DISPATCH repeats the 1st one's seq",
         "docs/protocols/wearable.md §8.5 (seq strictly increasing)"},
        {"replay-inclusive", "REPLAY includes both bounds",
         "docs/protocols/wearable.md §9.2 (REPLAY bounds exclusive)"},
        {"replay-drop", "REPLAY leaves out one DISPATCH in range (the middle one)",
         "docs/protocols/wearable.md §9.3 (REPLAY: every DISPATCH in range, each once)"},
        {"replay-unordered", "REPLAY swaps the first two DISPATCHes",
         "docs/protocols/wearable.md §9.3 (REPLAY in seq order)"},
        {"replay-altered", "REPLAY changes the first DISPATCH's content (val+1, or d[0]+1, or ts)",
         "docs/protocols/wearable.md §9.3 (REPLAY: identical content)"},
        {"cross-developer-dispatch", "this consumer also gets every other developer's DISPATCHes",
         "docs/protocols/wearable.md §8.2 (never another developer's DISPATCH)"},
        {"dispatch-bad-schema", "every DISPATCH to this consumer lacks uid",
         "docs/protocols/wearable.md §1.3 (DISPATCH carries uid, seq, t)"},
        {"no-ack-before-identify", "answers no HEARTBEAT that comes before IDENTIFY",
         "docs/protocols/wearable.md §5.3 (every HEARTBEAT gets an ACK, also before IDENTIFY)"},
        {"close-on-early-heartbeat", "closes 4004 on a HEARTBEAT before IDENTIFY",
         "docs/protocols/wearable.md §5.2 (HEARTBEAT is allowed before IDENTIFY)"},
        {"late-ready", "sends READY 0.75 x heartbeat_interval after a good IDENTIFY",
         "docs/protocols/wearable.md §4.5 (READY follows a good IDENTIFY promptly)"},
        {"drop-unknown-type", "this consumer receives no DISPATCH whose t is not a type of §3.3/§3.4",
         "docs/protocols/wearable.md §3.5 (unknown types pass through)"},
        {"no-close-on-shutdown", "on shutdown drops connections (TCP reset) instead of closing 1001",
         "docs/protocols/wearable.md §4.8 (shutdown: 1001)"},
        {"early-heartbeat-timeout", "closes 4005 after 0.7 x heartbeat_interval of silence",
         "docs/protocols/wearable.md §5.4 (4005 after interval x 1.5, not before)"},
        {"late-heartbeat-timeout", "closes 4005 after 2.5 x heartbeat_interval of silence",
         "docs/protocols/wearable.md §5.4 (4005 after interval x 1.5)"},
        {"early-identify-timeout", "closes 4000 at half the identify timeout",
         "docs/protocols/wearable.md §4.2 (4000 when the identify timeout has passed, not before)"},
        {"late-identify-timeout", "closes 4000 at 1.6 x the identify timeout",
         "docs/protocols/wearable.md §4.2 (4000 when the identify timeout has passed)"},
    };
    // In the order of wearable::wrong_close_codes.
    const char* rules[] = {"docs/protocols/wearable.md §4.2 (no IDENTIFY in time)",
                           "docs/protocols/wearable.md §4.4 (bad, unknown or used token)",
                           "docs/protocols/wearable.md §4.7 (consumer limit, newest closed)",
                           "docs/protocols/wearable.md §4.3 (second IDENTIFY)",
                           "docs/protocols/wearable.md §6 (opcode the role may not send)",
                           "docs/protocols/wearable.md §5.4 (heartbeat timeout)",
                           "docs/protocols/wearable.md §7 (not JSON / no numeric op)"};
    int i = 0;
    for (auto code : wearable::wrong_close_codes) {
      auto c = std::to_string(code);
      t.push_back({"wrong-close:" + c, "closes with 4999 wherever " + c + " is due", std::string(rules[i++]) + ": " + c});
    }
    return t;
  }();
  return table;
}

namespace wearable {

std::uint16_t fault_flags::close_code_for(std::uint16_t code) const {
  for (auto c : wrong_close) {
    if (c == code) return wrong_close_replacement;
  }
  return code;
}

fault_flags resolve_flags(const fault_set& f) {
  fault_flags out;
  out.no_hello = f.has("no-hello");
  out.late_hello = f.has("late-hello");
  out.hello_bad_interval = f.has("hello-bad-interval");
  out.no_ack = f.has("no-ack");
  out.late_ack = f.has("late-ack");
  out.ack_every_other = f.has("ack-every-other");
  out.ready_before_identify = f.has("ready-before-identify");
  out.reuse_token = f.has("reuse-token");
  out.double_identify_accepted = f.has("double-identify-accepted");
  out.no_identify_timeout = f.has("no-identify-timeout");
  out.no_heartbeat_timeout = f.has("no-heartbeat-timeout");
  out.consumer_submit_accepted = f.has("consumer-submit-accepted");
  out.seq_backwards = f.has("seq-backwards");
  out.seq_duplicate = f.has("seq-duplicate");
  out.replay_inclusive = f.has("replay-inclusive");
  out.replay_drop = f.has("replay-drop");
  out.replay_unordered = f.has("replay-unordered");
  out.replay_altered = f.has("replay-altered");
  out.cross_developer_dispatch = f.has("cross-developer-dispatch");
  out.dispatch_bad_schema = f.has("dispatch-bad-schema");
  out.no_ack_before_identify = f.has("no-ack-before-identify");
  out.close_on_early_heartbeat = f.has("close-on-early-heartbeat");
  out.late_ready = f.has("late-ready");
  out.drop_unknown_type = f.has("drop-unknown-type");
  out.no_close_on_shutdown = f.has("no-close-on-shutdown");
  out.early_heartbeat_timeout = f.has("early-heartbeat-timeout");
  out.late_heartbeat_timeout = f.has("late-heartbeat-timeout");
  out.early_identify_timeout = f.has("early-identify-timeout");
  out.late_identify_timeout = f.has("late-identify-timeout");
  for (auto code : wrong_close_codes) {
    if (f.has("wrong-close:" + std::to_string(code))) out.wrong_close.push_back(code);
  }
  return out;
}

}  // namespace wearable
}  // namespace drover::fakes
