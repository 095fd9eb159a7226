#include "harness/reporting/result_document.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "harness/reporting/document_parts.hpp"

namespace drover::reporting {
namespace {

using detail::rounded;

// "2024-05-01T12:00:00.000Z"
std::string iso_utc(std::chrono::system_clock::time_point t) {
  const auto ms_since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  auto seconds = static_cast<std::time_t>(ms_since_epoch / 1000);
  auto millis = ms_since_epoch % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buf;
}

boost::json::object run_json(const run_info& info) {
  boost::json::object env;
  for (const auto& [key, value] : info.env) env[key] = is_secret_env_key(key) ? std::string("***") : value;
  boost::json::object run;
  run["scenario"] = info.scenario;
  run["target"] = info.target;
  run["protocol"] = info.protocol;
  run["vus"] = info.vus;
  run["workers"] = info.workers;
  run["duration_ms"] = info.duration.count();
  run["ramp_up_ms"] = info.ramp_up.count();
  run["graceful_stop_ms"] = info.graceful_stop.count();
  run["env"] = std::move(env);
  run["started_at"] = iso_utc(info.started_at);
  run["ended_at"] = iso_utc(info.ended_at);
  run["elapsed_ms"] = rounded(info.elapsed_seconds * 1000.0, 3);
  run["interrupted"] = info.interrupted;
  run["vus_started"] = info.vus_started;
  run["vus_connected"] = info.vus_connected;
  run["secrets"] = info.secrets_shown ? "shown" : "redacted";
  if (!info.executor.empty()) run["executor"] = info.executor;
  if (info.shard_count > 0) run["shard"] = {{"index", info.shard_index}, {"count", info.shard_count}};
  if (!info.scenarios.empty()) {
    boost::json::array list;
    for (const auto& sc : info.scenarios) {
      boost::json::object tags;
      for (const auto& [k, v] : sc.tags) tags[k] = v;
      list.push_back({{"name", sc.name}, {"executor", sc.executor}, {"exec", sc.exec}, {"tags", std::move(tags)},
                      {"start_time_ms", sc.start_time.count()}, {"duration_ms", sc.duration.count()},
                      {"vus", sc.vus}});
    }
    run["scenarios"] = std::move(list);
  }
  return run;
}

boost::json::object check_json(const std::string& name, const metrics::check_stats& c) {
  const auto total = c.passes + c.fails;
  boost::json::object out;
  out["name"] = name;
  out["passes"] = detail::count_value(c.passes);
  out["fails"] = detail::count_value(c.fails);
  out["rate"] = total > 0 ? rounded(static_cast<double>(c.passes) / static_cast<double>(total), 6) : 0.0;
  if (c.fails > 0) {
    out["first_failure"] = c.first_failure;
  } else {
    out["first_failure"] = nullptr;
  }
  return out;
}

boost::json::array checks_json(const metrics::recorder& merged) {
  boost::json::array out;
  const auto& checks = merged.checks();
  for (const auto& name : merged.check_order()) {
    if (auto it = checks.find(name); it != checks.end()) out.push_back(check_json(name, it->second));
  }
  // A check missing from check_order (should not happen) is still reported, after the others.
  if (out.size() < checks.size()) {
    const auto& order = merged.check_order();
    for (const auto& [name, stats] : checks) {
      if (std::find(order.begin(), order.end(), name) == order.end()) out.push_back(check_json(name, stats));
    }
  }
  return out;
}

boost::json::array thresholds_json(const std::vector<metrics::threshold_result>& results) {
  boost::json::array out;
  for (const auto& r : results) {
    boost::json::object t;
    t["metric"] = r.spec.metric;
    t["aggregation"] = r.spec.aggregation;
    t["expression"] = r.spec.source;
    t["ok"] = r.ok;
    if (r.actual) {
      t["actual"] = rounded(*r.actual, 6);
    } else {
      t["actual"] = nullptr;
    }
    t["message"] = r.message;
    out.push_back(std::move(t));
  }
  return out;
}

// Most frequent kinds first, so the console and the HTML lead with what matters.
boost::json::array errors_json(const metrics::recorder& merged) {
  std::vector<std::pair<std::string, const metrics::error_stats*>> kinds;
  for (const auto& [kind, stats] : merged.errors()) kinds.emplace_back(kind, &stats);
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  boost::json::array out;
  for (const auto& [kind, stats] : kinds) {
    boost::json::array samples;
    for (const auto& s : stats->samples) samples.push_back(boost::json::string(s));
    out.push_back(boost::json::object{{"kind", kind}, {"count", detail::count_value(stats->count)}, {"samples", std::move(samples)}});
  }
  return out;
}

boost::json::array close_codes_json(const metrics::recorder& merged) {
  boost::json::array out;
  for (const auto& [code, count] : merged.close_codes()) {
    out.push_back(boost::json::object{{"code", code}, {"count", detail::count_value(count)}, {"meaning", close_code_meaning(code)}});
  }
  return out;
}

}  // namespace

bool is_secret_env_key(std::string_view key) {
  std::string upper(key);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view word : {"TOKEN", "SECRET", "KEY", "PASSWORD"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

boost::json::object build_result_document(const run_info& info, const metrics::recorder& merged,
                                          const std::vector<metrics::threshold_result>& thresholds,
                                          const outcome& result, const boost::json::object* validation,
                                          const boost::json::array* cases,
                                          const boost::json::object* timeseries) {
  boost::json::object doc;
  doc["schema_version"] = schema_version;
  doc["tool"] = boost::json::object{{"name", "drover"}, {"version", info.tool_version}};
  doc["command"] = info.command;
  doc["run"] = run_json(info);
  doc["outcome"] =
      boost::json::object{{"exit_code", result.exit_code}, {"status", result.status}, {"message", result.message}};
  doc["metrics"] = detail::metrics_json(merged, info.elapsed_seconds);
  doc["checks"] = checks_json(merged);
  doc["thresholds"] = thresholds_json(thresholds);
  doc["errors"] = errors_json(merged);
  doc["close_codes"] = close_codes_json(merged);
  if (validation != nullptr) doc["validation"] = *validation;
  if (cases != nullptr) doc["cases"] = *cases;
  if (timeseries != nullptr) doc["timeseries"] = *timeseries;
  return doc;
}

}  // namespace drover::reporting
