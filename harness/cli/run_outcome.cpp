#include "harness/cli/run_outcome.hpp"

#include <set>

#include "harness/common/error.hpp"

namespace drover::cli {

namespace {
// Error kinds that mean the target could not be reached at all.
const std::set<std::string, std::less<>> unreachable_kinds = {
    "dns", "connection_refused", "connect_timeout", "tls", "handshake_timeout", "handshake_rejected", "reset", "protocol"};
}

reporting::outcome decide_outcome(const runner::run_result& result) {
  const auto& rec = result.merged;
  if (result.interrupted)
    return {static_cast<int>(exit_code::interrupted), "interrupted", "the run was interrupted; results so far are kept"};

  std::uint64_t connect_failures = 0;
  for (const auto& [kind, stats] : rec.errors())
    if (unreachable_kinds.count(kind)) connect_failures += stats.count;
  if (result.vus_started > 0 && result.vus_connected == 0 && connect_failures > 0) {
    std::string sample;
    for (const auto& [kind, stats] : rec.errors())
      if (unreachable_kinds.count(kind) && !stats.samples.empty()) {
        sample = stats.samples.front();
        break;
      }
    return {static_cast<int>(exit_code::unreachable), "unreachable",
            "no client could connect to the target" + (sample.empty() ? std::string() : ": " + sample)};
  }

  int breached = 0;
  for (const auto& t : result.thresholds)
    if (!t.ok) ++breached;
  std::uint64_t failed_checks = 0;
  for (const auto& [name, stats] : rec.checks()) failed_checks += stats.fails;
  std::uint64_t lua_errors = 0;
  if (auto it = rec.errors().find("lua_error"); it != rec.errors().end()) lua_errors = it->second.count;

  if (breached > 0)
    return {static_cast<int>(exit_code::failed), "thresholds_breached",
            std::to_string(breached) + " threshold(s) breached"};
  if (failed_checks > 0)
    return {static_cast<int>(exit_code::failed), "checks_failed", std::to_string(failed_checks) + " check(s) failed"};
  if (lua_errors > 0)
    return {static_cast<int>(exit_code::failed), "error",
            std::to_string(lua_errors) + " client(s) stopped on a Lua error (see errors)"};
  return {static_cast<int>(exit_code::ok), "passed", ""};
}

}  // namespace drover::cli
