#include "fakes/vstats/flags.hpp"
#include "fakes/vstats/vstats_server.hpp"

namespace drover::fakes {

const fault_table& vstats_faults() {
  static const fault_table table = {
      {"accept-bad-token", "accepts any agent token (or none) and treats the agent as a server named after it",
       "vstats.md Agents (a bad token: close 1008 within 1 s)"},
      {"slow-bad-token-close", "closes a bad-token agent with 1008 only after 3 s",
       "vstats.md Agents (close 1008 within 1 s)"},
      {"no-ping", "never pings this connection", "vstats.md Pings (a ping every ping interval)"},
      {"metrics-wrong-server", "this dashboard gets metrics under server_id \"<id>~other\"",
       "vstats.md Dashboards (metrics carry the reporting agent's server_id)"},
      {"metrics-not-forwarded", "this dashboard gets no metrics messages",
       "vstats.md Dashboards (each report becomes a metrics message)"},
      {"metrics-duplicate", "this dashboard gets every second metrics message twice",
       "vstats.md Dashboards (each report once, in order)"},
      {"metrics-mangled", "this dashboard gets cpu.usage as a fraction (0.425), not a percentage (42.5)",
       "vstats.md Dashboards (the report's figures, unchanged)"},
      {"envelope-missing-timestamp", "messages to this dashboard lack timestamp",
       "vstats.md Envelope ({type,data,timestamp})"},
      {"status-never-offline", "this dashboard never gets status offline",
       "vstats.md Status (offline after 3 missed reports)"},
      {"status-offline-early", "this agent's server goes offline after 2 missed reports, not 3",
       "vstats.md Status (offline after 3 missed reports)"},
      {"no-online-status", "this dashboard never gets status online",
       "vstats.md Status (online when an agent connects or reports again)"},
      {"heartbeat-ignored", "this agent's heartbeats do not count as signs of life",
       "vstats.md Status (any agent message keeps the server online)"},
      {"close-on-heartbeat", "closes this agent with 1011 when it sends a heartbeat",
       "vstats.md Agents (heartbeat is a valid agent message)"},
      {"no-server-added", "this dashboard never gets server_added", "vstats.md Servers (server_added for a new server)"},
      {"no-server-removed", "this dashboard never gets server_removed",
       "vstats.md Servers (server_removed when an agent closes with 1000)"},
  };
  return table;
}

namespace vstats {

fault_flags resolve_flags(const fault_set& f) {
  fault_flags out;
  out.accept_bad_token = f.has("accept-bad-token");
  out.slow_bad_token_close = f.has("slow-bad-token-close");
  out.heartbeat_ignored = f.has("heartbeat-ignored");
  out.close_on_heartbeat = f.has("close-on-heartbeat");
  out.status_offline_early = f.has("status-offline-early");
  out.no_ping = f.has("no-ping");
  out.metrics_wrong_server = f.has("metrics-wrong-server");
  out.metrics_not_forwarded = f.has("metrics-not-forwarded");
  out.metrics_duplicate = f.has("metrics-duplicate");
  out.metrics_mangled = f.has("metrics-mangled");
  out.envelope_missing_timestamp = f.has("envelope-missing-timestamp");
  out.status_never_offline = f.has("status-never-offline");
  out.no_online_status = f.has("no-online-status");
  out.no_server_added = f.has("no-server-added");
  out.no_server_removed = f.has("no-server-removed");
  return out;
}

}  // namespace vstats
}  // namespace drover::fakes
