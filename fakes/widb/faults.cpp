#include "fakes/widb/flags.hpp"
#include "fakes/widb/widb_server.hpp"

namespace drover::fakes {

const fault_table& widb_faults() {
  static const fault_table table = {
      {"drop-on-studio-format", "drops the TCP connection (no close frame) on a logDump with an Android Studio style line",
       "docs/protocols/widb.md §5.3 (every line format is accepted)"},
      {"drop-before-start", "drops the TCP connection on a message before startSession",
       "docs/protocols/widb.md §4.1 (before startSession: 1003/1007 or ignore, never a drop)"},
      {"drop-on-bad-json", "drops the TCP connection on a frame that is not JSON",
       "docs/protocols/widb.md §4.2 (invalid JSON: 1003/1007 or ignore, never a drop)"},
      {"drop-on-unknown-type", "drops the TCP connection on an unknown messageType",
       "docs/protocols/widb.md §4.3 (unknown messageType: 1003/1007 or ignore, never a drop)"},
      {"no-fanout", "this phone's logDumps and deviceMetrics reach no dashboard",
       "docs/protocols/widb.md §7.2, §7.5 (each dump becomes logData, metrics are forwarded)"},
      {"fanout-wrong-apikey", "this dashboard also receives every other apiKey's logData and deviceMetrics",
       "docs/protocols/widb.md §7.6 (only the associated apiKey's sessions)"},
      {"entries-lost", "leaves the 2nd entry out of the logData of a dump with two lines or more",
       "docs/protocols/widb.md §7.3 (every line's text arrives)"},
      {"entries-reordered", "swaps the first two entries of the logData of a dump with two lines or more",
       "docs/protocols/widb.md §7.3 (in order)"},
      {"unparsable-dropped", "leaves out lines that match no log format instead of passing them on as text",
       "docs/protocols/widb.md §7.3 (every line's text arrives)"},
      {"wrong-ostype", "labels the logData of a dump without osType \"Android\" whatever the session said",
       "docs/protocols/widb.md §5.2, §7.4 (osType omitted: the session's)"},
      {"metrics-mangled", "forwards deviceMetrics with cpuUsage in percent and memUsage/memTotal in bytes",
       "docs/protocols/widb.md §6.1, §7.5 (units; forwarded unchanged)"},
      {"close-after-end", "closes the connection (1000) right after endSession",
       "docs/protocols/widb.md §3.5 (the socket stays open after endSession)"},
      {"drop-on-early-ping",
       "drops the TCP connection instead of answering a ping that comes before startSession or associateUser",
       "docs/protocols/widb.md §3.6 (pings are answered, before startSession too)"},
      {"ack-phone", "answers every phone message with {\"messageType\":\"ack\"}",
       "docs/protocols/widb.md §3.4 (the server never replies to the phone)"},
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
  out.drop_on_early_ping = f.has("drop-on-early-ping");
  return out;
}

}  // namespace widb
}  // namespace drover::fakes
