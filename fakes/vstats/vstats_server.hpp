#pragma once
// The vStats server-monitoring fake (docs/protocols/vstats.md, documented dialect): dashboards on
// /ws receive {type,data,timestamp} messages (metrics, status, server_added, server_removed);
// agents on /ws/agent?token=T send metrics and heartbeat. A bad token is closed 1008 at once;
// the server pings every connection each ping_interval and drops one that has not answered the
// previous ping; a server whose agent is silent for missed_reports x report_interval goes
// offline. Correct by default; named faults each break one rule.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"

namespace drover::fakes {

struct vstats_config {
  listen_options listen;
  std::vector<std::string> faults;                    // for every connection
  std::chrono::milliseconds ping_interval{30'000};    // ping each connection this often
  std::chrono::milliseconds report_interval{5'000};   // agents' report period
  int missed_reports = 3;                             // silent this many periods: offline
  std::string tokens_file;  // empty: self-describing tokens "agent:SERVER_ID"
  std::string tokens_json;  // the same table inline (tests); used when tokens_file is empty
  std::chrono::milliseconds slow_close_delay{3'000};  // fault slow-bad-token-close
  // "documented" (the default) or "real" (docs/protocols/vstats.md §14: in-band auth, snapshot
  // and deltas, no server pings; faults from vstats_real_faults()).
  std::string dialect = "documented";
  std::chrono::milliseconds delta_interval{5'000};    // real dialect: a delta this often
};

const fault_table& vstats_faults();
const fault_table& vstats_real_faults();

// Binds and starts serving; returns once listening. Throws usage_error (bad fault, token file,
// address, a zero interval). The returned server stops when destroyed.
std::unique_ptr<fake_server> start_vstats(const vstats_config& config);

}  // namespace drover::fakes
