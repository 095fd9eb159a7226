#include "harness/cli/run_outcome.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <boost/json.hpp>

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

reporting::outcome decide_conform_outcome(const runner::run_result& result, const boost::json::array& cases) {
  auto base = decide_outcome(result);
  if (base.status == "interrupted" || base.status == "unreachable") return base;
  int failed = 0;
  for (const auto& c : cases) {
    const auto* obj = c.if_object();
    const auto* verdict = obj ? obj->if_contains("verdict") : nullptr;
    if (!verdict || !verdict->is_string() || verdict->get_string() == "FAILED") ++failed;
  }
  if (failed > 0)
    return {static_cast<int>(exit_code::failed), "cases_failed",
            std::to_string(failed) + " of " + std::to_string(cases.size()) + " case(s) FAILED"};
  return {static_cast<int>(exit_code::ok), "passed", std::to_string(cases.size()) + " case(s), none FAILED"};
}

namespace {
std::vector<long long> id_parts(const boost::json::value& c) {
  std::vector<long long> parts;
  const auto* obj = c.if_object();
  const auto* id = obj ? obj->if_contains("id") : nullptr;
  if (!id || !id->is_string()) return parts;
  std::string text(id->get_string());
  std::size_t start = 0;
  while (start <= text.size()) {
    auto dot = text.find('.', start);
    std::string part = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    long long n = 0;
    for (char ch : part) n = std::isdigit(static_cast<unsigned char>(ch)) ? n * 10 + (ch - '0') : n;
    parts.push_back(n);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}
}  // namespace

boost::json::array collect_cases(const std::vector<std::string>& case_results) {
  boost::json::array cases;
  for (const auto& text : case_results) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec) cases.push_back(std::move(v));
  }
  std::stable_sort(cases.begin(), cases.end(),
                   [](const boost::json::value& a, const boost::json::value& b) { return id_parts(a) < id_parts(b); });
  return cases;
}

}  // namespace drover::cli
