#pragma once
// The RemoteDev faults of one connection, resolved once from its fault_set into plain flags.
// Each acts on what that connection does or receives: timers and pings on its own timers, the
// relay faults on what its events become, the delivery faults on what it is sent.
#include "fakes/common/faults.hpp"

namespace drover::fakes::remotedev {

struct fault_flags {
  // handshake
  bool no_handshake_timeout = false, early_handshake_timeout = false, non_handshake_accepted = false;
  bool handshake_wrong_rid = false, handshake_wrong_ping_timeout = false, handshake_no_id = false;
  bool same_socket_id = false;
  // pings and the ping timeout
  bool no_ping = false, slow_ping = false, ping_wrong_format = false;
  bool ping_timeout_ignored = false, early_ping_timeout = false, pong_only_keepalive = false;
  // channels
  bool subscribe_not_acked = false, unsubscribe_ignored = false, deliver_unsubscribed = false;
  bool publish_accepted = false;
  // RemoteDev events
  bool wrong_channel_for_monitor = false, wrong_channel_for_app = false, answer_plain_emit = false;
  bool log_not_relayed = false, log_relayed_modified = false;
  bool log_noid_not_wrapped = false, log_noid_wrong_id = false;
  bool respond_not_relayed = false, no_disconnected = false;
};

fault_flags resolve_flags(const fault_set& faults);

}  // namespace drover::fakes::remotedev
