#include "fakes/vstats/flags.hpp"
#include "fakes/vstats/vstats_server.hpp"

namespace drover::fakes {

const fault_table& vstats_real_faults() {
  static const fault_table table = {
      {"no-auth-answer", "authenticates the agent but never answers its auth", "vstats.md §14 (auth is answered)"},
      {"close-on-bad-auth", "closes a bad auth with 1008 instead of answering status error",
       "vstats.md §14 (an error answer, no close)"},
      {"metrics-before-auth-accepted", "ignores metrics before auth silently instead of an error message",
       "vstats.md §14 (metrics before auth: error)"},
      {"snapshot-miscount", "this dashboard's stream_init and stream_server announce one server more than sent",
       "vstats.md §14 (total_servers stream_server messages)"},
      {"no-stream-end", "this dashboard's snapshot ends without stream_end", "vstats.md §14 (then stream_end)"},
      {"snapshot-offline", "this dashboard's snapshot lists every server offline",
       "vstats.md §14 (the snapshot's online flags)"},
      {"delta-slow", "this dashboard gets a delta every second interval (the held one merged in)",
       "vstats.md §14 (a delta every 5 s)"},
      {"delta-missing-report", "this dashboard's deltas never carry figures (m)",
       "vstats.md §14 (deltas carry the new figures)"},
  };
  return table;
}

namespace vstats {

real_fault_flags resolve_real_flags(const fault_set& f) {
  real_fault_flags out;
  out.no_auth_answer = f.has("no-auth-answer");
  out.close_on_bad_auth = f.has("close-on-bad-auth");
  out.metrics_before_auth_accepted = f.has("metrics-before-auth-accepted");
  out.snapshot_miscount = f.has("snapshot-miscount");
  out.no_stream_end = f.has("no-stream-end");
  out.snapshot_offline = f.has("snapshot-offline");
  out.delta_slow = f.has("delta-slow");
  out.delta_missing_report = f.has("delta-missing-report");
  return out;
}

}  // namespace vstats
}  // namespace drover::fakes
