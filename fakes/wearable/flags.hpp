#pragma once
// The wearable faults of one connection, resolved once from its fault_set into plain flags.
#include <cstdint>
#include <vector>

#include "fakes/common/faults.hpp"

namespace drover::fakes::wearable {

struct fault_flags {
  bool no_hello = false, late_hello = false, hello_bad_interval = false;
  bool no_ack = false, late_ack = false, ack_every_other = false;
  bool ready_before_identify = false, reuse_token = false, double_identify_accepted = false;
  bool no_identify_timeout = false, no_heartbeat_timeout = false;
  bool consumer_submit_accepted = false;
  bool seq_backwards = false, seq_duplicate = false;
  bool replay_inclusive = false, replay_drop = false, replay_unordered = false, replay_altered = false;
  bool cross_developer_dispatch = false, dispatch_bad_schema = false;
  bool no_ack_before_identify = false, close_on_early_heartbeat = false, late_ready = false;
  bool drop_unknown_type = false, no_close_on_shutdown = false;
  bool early_heartbeat_timeout = false, late_heartbeat_timeout = false;
  bool early_identify_timeout = false, late_identify_timeout = false;
  std::vector<std::uint16_t> wrong_close;  // codes replaced by 4999

  // The code actually sent where `code` is due.
  std::uint16_t close_code_for(std::uint16_t code) const;
};

// The codes for which a wrong-close:CODE fault exists.
inline constexpr std::uint16_t wrong_close_codes[] = {4000, 4001, 4002, 4003, 4004, 4005, 1007};
inline constexpr std::uint16_t wrong_close_replacement = 4999;

fault_flags resolve_flags(const fault_set& faults);

}  // namespace drover::fakes::wearable
