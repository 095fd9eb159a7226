#include "fakes/widb/flags.hpp"
#include "fakes/widb/widb_server.hpp"

namespace drover::fakes {

const fault_table& widb_faults() {
  static const fault_table table = {
      {"drop-on-studio-format", "drops the TCP connection (no close frame) on a logDump with an Android Studio style line",
       "000 log formats (Android Studio lines are accepted)"},
      {"drop-before-start", "drops the TCP connection on a message before startSession",
       "000 lifecycle (a message before startSession: 1003/1007 or ignore, never a drop)"},
      {"drop-on-bad-json", "drops the TCP connection on a frame that is not JSON",
       "000 lifecycle (invalid JSON: 1003/1007 or ignore, never a drop)"},
      {"drop-on-unknown-type", "drops the TCP connection on an unknown messageType",
       "000 lifecycle (unknown messageType: 1003/1007 or ignore, never a drop)"},
      {"no-fanout", "this phone's logDumps and deviceMetrics reach no dashboard",
       "000 dashboard (each logDump yields logData, each deviceMetrics is forwarded)"},
      {"fanout-wrong-apikey", "this dashboard also receives every other apiKey's logData and deviceMetrics",
       "000 dashboard (only the sessions of the associated apiKey)"},
      {"entries-lost", "leaves the 2nd entry out of the logData of a dump with two lines or more",
       "000 log entries (every line's text arrives)"},
      {"entries-reordered", "swaps the first two entries of the logData of a dump with two lines or more",
       "000 log entries (in order)"},
      {"unparsable-dropped", "leaves out lines that match no log format instead of passing them on as text",
       "000 log entries (every line's text arrives)"},
      {"wrong-ostype", "labels the logData of a dump without osType \"Android\" whatever the session said",
       "000 logDump (osType omitted: the session's is used)"},
      {"metrics-mangled", "forwards deviceMetrics with cpuUsage in percent and memUsage/memTotal in bytes",
       "000 deviceMetrics (units; forwarded unchanged)"},
      {"close-after-end", "closes the connection (1000) right after endSession",
       "000 lifecycle (the socket stays open after endSession)"},
      {"ack-phone", "answers every phone message with {\"messageType\":\"ack\"}",
       "000 lifecycle (the server never replies to the phone)"},
  };
  return table;
}

namespace widb {

fault_flags resolve_flags(const fault_set& f) {
  fault_flags out;
  out.drop_on_studio_format = f.has("drop-on-studio-format");
  out.drop_before_start = f.has("drop-before-start");
  out.drop_on_bad_json = f.has("drop-on-bad-json");
  out.drop_on_unknown_type = f.has("drop-on-unknown-type");
  out.no_fanout = f.has("no-fanout");
  out.fanout_wrong_apikey = f.has("fanout-wrong-apikey");
  out.entries_lost = f.has("entries-lost");
  out.entries_reordered = f.has("entries-reordered");
  out.unparsable_dropped = f.has("unparsable-dropped");
  out.wrong_ostype = f.has("wrong-ostype");
  out.metrics_mangled = f.has("metrics-mangled");
  out.close_after_end = f.has("close-after-end");
  out.ack_phone = f.has("ack-phone");
  return out;
}

}  // namespace widb
}  // namespace drover::fakes
