#pragma once
// The vStats faults of one connection, resolved once from its fault_set into plain flags.
// Agent-side faults change how the fake treats that agent; dashboard-side faults change what
// that dashboard receives. A run-wide --fault reaches both kinds of connection.
#include "fakes/common/faults.hpp"

namespace drover::fakes::vstats {

struct fault_flags {
  // agent side
  bool accept_bad_token = false, slow_bad_token_close = false;
  bool heartbeat_ignored = false, close_on_heartbeat = false, status_offline_early = false;
  // either side
  bool no_ping = false;
  // dashboard side
  bool metrics_wrong_server = false, metrics_not_forwarded = false, metrics_duplicate = false, metrics_mangled = false;
  bool envelope_missing_timestamp = false;
  bool status_never_offline = false, no_online_status = false;
  bool no_server_added = false, no_server_removed = false;

  // True when a dashboard with these flags needs its messages rewritten or filtered.
  bool alters_delivery() const {
    return metrics_wrong_server || metrics_not_forwarded || metrics_duplicate || metrics_mangled ||
           envelope_missing_timestamp ||
           status_never_offline || no_online_status || no_server_added || no_server_removed;
  }
};

fault_flags resolve_flags(const fault_set& faults);

}  // namespace drover::fakes::vstats

namespace drover::fakes::vstats {

// The real dialect's faults of one connection (table: vstats_real_faults()).
struct real_fault_flags {
  // agent side
  bool no_auth_answer = false, close_on_bad_auth = false, metrics_before_auth_accepted = false;
  // dashboard side
  bool snapshot_miscount = false, no_stream_end = false, snapshot_offline = false;
  bool delta_slow = false, delta_missing_report = false;
};

real_fault_flags resolve_real_flags(const fault_set& faults);

}  // namespace drover::fakes::vstats
