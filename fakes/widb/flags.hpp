#pragma once
// The WiDB faults of one connection, resolved once from its fault_set into plain flags.
// Phone-side faults act on what that phone's messages become; dashboard-side faults
// (fanout_wrong_apikey) act on what that dashboard receives.
#include "fakes/common/faults.hpp"

namespace drover::fakes::widb {

struct fault_flags {
  bool drop_on_studio_format = false;  // RST on a logDump holding an Android Studio style line
  bool drop_before_start = false;      // RST on any message before startSession
  bool drop_on_bad_json = false;       // RST on a frame that is not a JSON object
  bool drop_on_unknown_type = false;   // RST on an unknown messageType
  bool no_fanout = false;              // this phone's logData and deviceMetrics reach nobody
  bool fanout_wrong_apikey = false;    // this dashboard also gets every other apiKey's data
  bool entries_lost = false;           // a multi-line dump's logData lacks its 2nd entry
  bool entries_reordered = false;      // a multi-line dump's first two entries are swapped
  bool unparsable_dropped = false;     // lines that parse in no format are left out
  bool wrong_ostype = false;           // a dump without osType is labelled Android
  bool metrics_mangled = false;        // forwarded cpuUsage in percent, memory in bytes
  bool close_after_end = false;        // closes 1000 right after endSession
  bool ack_phone = false;              // answers every phone message with {"messageType":"ack"}
  bool drop_on_early_ping = false;     // RST instead of a pong before startSession/associateUser
};

fault_flags resolve_flags(const fault_set& faults);

}  // namespace drover::fakes::widb
