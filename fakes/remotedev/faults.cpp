#include "fakes/remotedev/flags.hpp"
#include "fakes/remotedev/remotedev_server.hpp"

namespace drover::fakes {

const fault_table& remotedev_faults() {
  static const fault_table table = {
      {"no-handshake-timeout", "never closes 4005, however long the #handshake is missing",
       "docs/protocols/remotedev.md §2.3 (no #handshake within 10 s: close 4005)"},
      {"early-handshake-timeout", "closes 4005 at half the handshake timeout",
       "docs/protocols/remotedev.md §2.3, §10 (4005 at the handshake timeout, not before)"},
      {"non-handshake-accepted",
       "takes a first packet that is not #handshake (a pong, an event, junk) as if the handshake were done, no 4009",
       "docs/protocols/remotedev.md §2.4 (anything but the handshake first: close 4009)"},
      {"handshake-wrong-rid", "answers #handshake with rid = cid + 1",
       "docs/protocols/remotedev.md §2.2 (the answer's rid repeats the handshake's cid)"},
      {"handshake-wrong-ping-timeout", "announces pingTimeout as half the ping timeout it applies",
       "docs/protocols/remotedev.md §2.2 (pingTimeout: 20000 in v1, 30000 in v2)"},
      {"handshake-no-id", "the #handshake answer has no id",
       "docs/protocols/remotedev.md §2.2 (the answer carries the socket id, a string)"},
      {"same-socket-id", "every connection with this fault gets the same socket id",
       "docs/protocols/remotedev.md §2.2 (no other open socket has the same id)"},
      {"no-ping", "never pings this connection", "docs/protocols/remotedev.md §3.1 (a ping every 8 s from the upgrade)"},
      {"slow-ping", "pings every 2.5 ping intervals",
       "docs/protocols/remotedev.md §3.1, §10 (a ping every 8 s from the upgrade)"},
      {"ping-wrong-format", "pings in the other version's format (v1: an empty frame, v2: #1)",
       "docs/protocols/remotedev.md §3.2 (ping: v1 the text #1, v2 an empty text frame)"},
      {"ping-timeout-ignored", "never closes 4001, however long the client is silent",
       "docs/protocols/remotedev.md §3.4 (silence for pingTimeout: close 4001)"},
      {"early-ping-timeout", "closes 4001 after half the ping timeout of silence",
       "docs/protocols/remotedev.md §3.4, §10 (4001 after pingTimeout of silence, not before)"},
      {"pong-only-keepalive", "only pongs restart the ping timeout; other messages do not",
       "docs/protocols/remotedev.md §3.5 (any inbound message restarts the timer)"},
      {"subscribe-not-acked", "subscribes but never answers #subscribe",
       "docs/protocols/remotedev.md §5.1 (#subscribe is answered {\"rid\":N})"},
      {"unsubscribe-ignored", "answers #unsubscribe but keeps delivering the channel",
       "docs/protocols/remotedev.md §5.3 (after #unsubscribe nothing more is delivered)"},
      {"deliver-unsubscribed", "this connection receives every channel's publications from its handshake on, subscribed or not",
       "docs/protocols/remotedev.md §5.2 (a channel's publications go to its subscribers)"},
      {"publish-accepted", "accepts a client #publish: answers {\"rid\":N} and delivers it",
       "docs/protocols/remotedev.md §5.4 (a client #publish is refused with an error answer and reaches nobody)"},
      {"wrong-channel-for-monitor", "answers a monitor's login (data other than \"master\") with \"respond\"",
       "docs/protocols/remotedev.md §6.2 (login with any other data is answered \"log\")"},
      {"wrong-channel-for-app", "answers an app's login (\"master\") with \"log\"",
       "docs/protocols/remotedev.md §6.1 (login \"master\" is answered \"respond\")"},
      {"answer-plain-emit", "answers {\"rid\":N} to a plain event (log, log-noid, respond, ...) that carries a cid",
       "docs/protocols/remotedev.md §4.3 (an event without a handler gets no answer, even with a cid)"},
      {"log-not-relayed", "this connection's log events are not published",
       "docs/protocols/remotedev.md §7.1 (log is published on log)"},
      {"log-relayed-modified",
       "this connection's log data is published without its last member (anything but a non-empty object: null)",
       "docs/protocols/remotedev.md §7.1 (log is published unchanged)"},
      {"log-noid-not-wrapped", "this connection's log-noid data is published on log unwrapped",
       "docs/protocols/remotedev.md §7.2 (log-noid is published on log as {\"id\":SENDER_ID,\"data\":M})"},
      {"log-noid-wrong-id", "this connection's log-noid is wrapped with an id that is not the sender's",
       "docs/protocols/remotedev.md §7.2 (log-noid is published on log as {\"id\":SENDER_ID,\"data\":M})"},
      {"respond-not-relayed", "this connection's respond events are not published",
       "docs/protocols/remotedev.md §7.3 (respond is published on respond)"},
      {"no-disconnected", "publishes no DISCONNECTED notice when this connection, logged in, goes away",
       "docs/protocols/remotedev.md §8.1 (an app's disconnection: {\"id\":ID,\"type\":\"DISCONNECTED\"} on log)"},
  };
  return table;
}

namespace remotedev {

fault_flags resolve_flags(const fault_set& f) {
  fault_flags out;
  out.no_handshake_timeout = f.has("no-handshake-timeout");
  out.early_handshake_timeout = f.has("early-handshake-timeout");
  out.non_handshake_accepted = f.has("non-handshake-accepted");
  out.handshake_wrong_rid = f.has("handshake-wrong-rid");
  out.handshake_wrong_ping_timeout = f.has("handshake-wrong-ping-timeout");
  out.handshake_no_id = f.has("handshake-no-id");
  out.same_socket_id = f.has("same-socket-id");
  out.no_ping = f.has("no-ping");
  out.slow_ping = f.has("slow-ping");
  out.ping_wrong_format = f.has("ping-wrong-format");
  out.ping_timeout_ignored = f.has("ping-timeout-ignored");
  out.early_ping_timeout = f.has("early-ping-timeout");
  out.pong_only_keepalive = f.has("pong-only-keepalive");
  out.subscribe_not_acked = f.has("subscribe-not-acked");
  out.unsubscribe_ignored = f.has("unsubscribe-ignored");
  out.deliver_unsubscribed = f.has("deliver-unsubscribed");
  out.publish_accepted = f.has("publish-accepted");
  out.wrong_channel_for_monitor = f.has("wrong-channel-for-monitor");
  out.wrong_channel_for_app = f.has("wrong-channel-for-app");
  out.answer_plain_emit = f.has("answer-plain-emit");
  out.log_not_relayed = f.has("log-not-relayed");
  out.log_relayed_modified = f.has("log-relayed-modified");
  out.log_noid_not_wrapped = f.has("log-noid-not-wrapped");
  out.log_noid_wrong_id = f.has("log-noid-wrong-id");
  out.respond_not_relayed = f.has("respond-not-relayed");
  out.no_disconnected = f.has("no-disconnected");
  return out;
}

}  // namespace remotedev
}  // namespace drover::fakes
