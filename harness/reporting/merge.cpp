#include "harness/reporting/merge.hpp"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "harness/common/error.hpp"
#include "harness/metrics/thresholds.hpp"
#include "harness/reporting/document_parts.hpp"
#include "harness/reporting/result_document.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& what) {
  throw usage_error(file.string() + ": " + what);
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}
const json::array* array_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}
std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
double number_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return 0;
}
std::uint64_t count_at(const json::object& o, std::string_view key) {
  double d = number_at(o, key);
  return d > 0 ? static_cast<std::uint64_t>(d + 0.5) : 0;
}
std::int64_t int_of(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) return static_cast<std::int64_t>(v.get_double());
  return -1;
}

metrics::value_unit unit_of(std::string_view name) {
  if (name == "ms") return metrics::value_unit::milliseconds;
  if (name == "bytes") return metrics::value_unit::bytes;
  return metrics::value_unit::none;
}

// "2024-05-01T12:00:00.000Z" (what result_document writes); epoch when unreadable.
std::chrono::system_clock::time_point parse_iso(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &millis) < 6)
    return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
}

// Re-records a trend's buckets. Each bucket's count goes in at the bucket's lowest value, which
// lands in the same bucket; the exact min and max are recorded once each (they lie in the first
// and last buckets), so min(), max() and p100 stay exact.
void fill_trend(metrics::histogram& h, const json::object& hdr, const std::filesystem::path& file,
                const std::string& name) {
  if (int_of(hdr.contains("sig") ? hdr.at("sig") : json::value()) != 3 ||
      int_of(hdr.contains("scale") ? hdr.at("scale") : json::value()) != 1000)
    bad(file, "trend '" + name + "': hdr is not 3 significant digits in thousandths (written by another drover?)");
  const auto* counts = array_at(hdr, "counts");
  if (!counts) bad(file, "trend '" + name + "': hdr has no counts");
  const std::int64_t min = static_cast<std::int64_t>(number_at(hdr, "min"));
  const std::int64_t max = static_cast<std::int64_t>(number_at(hdr, "max"));
  for (std::size_t i = 0; i < counts->size(); ++i) {
    const auto* pair = (*counts)[i].if_array();
    if (!pair || pair->size() != 2 || int_of((*pair)[0]) < 0 || int_of((*pair)[1]) < 1)
      bad(file, "trend '" + name + "': hdr.counts[" + std::to_string(i) + "] is not [value, count]");
    std::int64_t lower = int_of((*pair)[0]);
    auto n = static_cast<std::uint64_t>(int_of((*pair)[1]));
    const bool first = i == 0, last = i + 1 == counts->size();
    if (first && n > 0) {
      h.record(min);
      --n;
    }
    if (last && n > 0) {
      h.record(max);
      --n;
    }
    if (n > 0) h.record_n(lower, n);
  }
}

}  // namespace

shard_summary read_shard_summary(const std::filesystem::path& dir, std::string_view expected_version) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw file_error(dir.string() + ": no such folder (a shard's --out)");
  shard_summary out;
  out.file = dir / "summary.json";
  std::ifstream in(out.file, std::ios::binary);
  if (!in) throw file_error(out.file.string() + ": cannot read (no summary.json in this folder?)");
  std::stringstream text;
  text << in.rdbuf();
  json::error_code jec;
  json::value v = json::parse(text.str(), jec);
  if (jec || !v.is_object()) bad(out.file, "not a JSON object (" + (jec ? jec.message() : std::string("wrong type")) + ")");
  out.doc = std::move(v.get_object());
  const auto* tool = object_at(out.doc, "tool");
  if (!tool || string_at(*tool, "name") != "drover" || !object_at(out.doc, "metrics"))
    bad(out.file, "not a drover result document");
  const auto version = string_at(*tool, "version");
  if (version != expected_version)
    bad(out.file, "written by drover " + version + ", this is drover " + std::string(expected_version) +
                      ": merge shards with the version that ran them");
  for (const auto& [name, metric] : *object_at(out.doc, "metrics")) {
    const auto* m = metric.if_object();
    if (m && string_at(*m, "type") == "trend" && !object_at(*m, "hdr"))
      bad(out.file, "trend '" + std::string(name) +
                        "' has no full histogram (\"hdr\"); re-run the shard with this drover to merge it exactly");
  }
  return out;
}

metrics::recorder recorder_from_document(const json::object& doc, const std::filesystem::path& file) {
  metrics::recorder rec;
  const auto* ms = object_at(doc, "metrics");
  if (!ms) bad(file, "no metrics");
  for (const auto& [key, value] : *ms) {
    const std::string name(key);
    const auto* m = value.if_object();
    if (!m) bad(file, "metric '" + name + "' is not an object");
    const auto type = string_at(*m, "type");
    if (type == "trend") {
      const auto* hdr = object_at(*m, "hdr");
      if (!hdr) bad(file, "trend '" + name + "' has no hdr");
      fill_trend(rec.trend(name, unit_of(string_at(*m, "unit"))).values, *hdr, file, name);
    } else if (type == "counter") {
      rec.counter(name, unit_of(string_at(*m, "unit"))).total = number_at(*m, "count");
    } else if (type == "rate") {
      auto& r = rec.rate(name);
      r.trues = count_at(*m, "passes");
      r.total = r.trues + count_at(*m, "fails");
    } else if (type == "gauge") {
      auto& g = rec.gauge(name);
      g.value = number_at(*m, "value");
      g.max = number_at(*m, "max");
      g.set = true;
    } else {
      bad(file, "metric '" + name + "' has unknown type '" + type + "'");
    }
  }
  return rec;
}

json::object merge_shards(const std::vector<shard_summary>& shards, std::string_view tool_version) {
  if (shards.empty()) throw usage_error("report merge: no shard given");
  const auto& first = shards.front();
  const auto& first_run = *object_at(first.doc, "run");
  const std::string command = string_at(first.doc, "command");
  const std::string scenario = string_at(first_run, "scenario");

  metrics::recorder merged;
  run_info info;
  info.tool_version = std::string(tool_version);
  info.command = command;
  info.scenario = scenario;
  info.target = string_at(first_run, "target");
  info.protocol = string_at(first_run, "protocol");
  info.duration = std::chrono::milliseconds(static_cast<long long>(number_at(first_run, "duration_ms")));
  info.ramp_up = std::chrono::milliseconds(static_cast<long long>(number_at(first_run, "ramp_up_ms")));
  info.graceful_stop = std::chrono::milliseconds(static_cast<long long>(number_at(first_run, "graceful_stop_ms")));
  if (const auto* env = object_at(first_run, "env"))
    for (const auto& [k, v] : *env) info.env.emplace_back(std::string(k), v.is_string() ? std::string(v.get_string()) : "");
  info.started_at = std::chrono::system_clock::time_point::max();
  info.ended_at = std::chrono::system_clock::time_point::min();

  // Gauges: the largest shard's value (see merge.hpp), not the recorder's worker sum.
  std::map<std::string, metrics::gauge_metric> gauges;
  json::array checks, errors_out, close_out, cases, thresholds_src;
  std::vector<std::string> check_order;
  std::map<std::string, json::object> check_by_name;
  std::map<std::string, std::pair<std::uint64_t, std::vector<std::string>>> errors;
  std::vector<std::string> error_order;
  std::map<std::int64_t, std::uint64_t> close_codes;
  bool have_cases = false, have_validation = false, any_unreachable_only = true;
  std::map<std::pair<std::string, std::string>, std::pair<std::uint64_t, std::uint64_t>> validation_counts;
  std::vector<std::pair<std::string, std::string>> validation_order;
  json::array violations;
  std::string validation_protocol;
  std::set<std::string> threshold_sources;
  std::vector<metrics::threshold_spec> specs;

  // Shards of `drover run --shard i/N` say so in run.shard {index (1-based), count}: their vus is
  // the whole test's, and the merge needs each index once. Documents without it (N runs each
  // given its own --vus) add their vus.
  std::map<std::int64_t, const shard_summary*> shard_index;
  std::int64_t shard_count = 0;
  for (const auto& shard : shards) {
    const auto* run = object_at(shard.doc, "run");
    const auto* sh = run ? object_at(*run, "shard") : nullptr;
    if (!sh) {
      if (shard_count > 0) bad(shard.file, "has no run.shard but " + first.file.string() + " has: mixed shard layouts");
      shard_count = -1;
      continue;
    }
    const auto index = static_cast<std::int64_t>(number_at(*sh, "index")),
               count = static_cast<std::int64_t>(number_at(*sh, "count"));
    if (shard_count == -1) bad(shard.file, "has run.shard but " + first.file.string() + " has not: mixed shard layouts");
    if (shard_count != 0 && count != shard_count)
      bad(shard.file, "is shard " + std::to_string(index) + "/" + std::to_string(count) + " but " + first.file.string() +
                          " is one of " + std::to_string(shard_count));
    shard_count = count;
    if (auto [it, fresh] = shard_index.emplace(index, &shard); !fresh)
      bad(shard.file, "shard " + std::to_string(index) + "/" + std::to_string(count) + " is also " + it->second->file.string());
  }
  if (shard_count > 0) {
    std::string missing;
    for (std::int64_t i = 1; i <= shard_count; ++i)
      if (!shard_index.count(i)) missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(shard_count);
    if (!missing.empty())
      throw usage_error("report merge: shard(s) " + missing + " missing (given: " + std::to_string(shards.size()) +
                        " of " + std::to_string(shard_count) + "); the merge would not be the whole test");
  }
  const bool sharded = shard_count > 0;

  for (const auto& shard : shards) {
    const auto* run = object_at(shard.doc, "run");
    if (!run) bad(shard.file, "no run object");
    if (string_at(shard.doc, "command") != command)
      bad(shard.file, "command '" + string_at(shard.doc, "command") + "' differs from " + first.file.string() +
                          " ('" + command + "'): these are not shards of one run");
    if (string_at(*run, "scenario") != scenario)
      bad(shard.file, "scenario '" + string_at(*run, "scenario") + "' differs from " + first.file.string() + " ('" +
                          scenario + "'): these are not shards of one run");

    info.vus = sharded ? static_cast<int>(number_at(*run, "vus")) : info.vus + static_cast<int>(number_at(*run, "vus"));
    info.workers += static_cast<int>(number_at(*run, "workers"));
    info.vus_started += static_cast<int>(number_at(*run, "vus_started"));
    info.vus_connected += static_cast<int>(number_at(*run, "vus_connected"));
    info.elapsed_seconds = std::max(info.elapsed_seconds, number_at(*run, "elapsed_ms") / 1000.0);
    if (const auto* b = run->if_contains("interrupted"); b && b->is_bool() && b->get_bool()) info.interrupted = true;
    if (string_at(*run, "secrets") == "shown") info.secrets_shown = true;
    info.started_at = std::min(info.started_at, parse_iso(string_at(*run, "started_at")));
    info.ended_at = std::max(info.ended_at, parse_iso(string_at(*run, "ended_at")));
    if (const auto* o = object_at(shard.doc, "outcome"); !o || string_at(*o, "status") != "unreachable")
      any_unreachable_only = false;

    auto rec = recorder_from_document(shard.doc, shard.file);
    for (const auto& [name, entry] : rec.metrics()) {
      if (entry.type != metrics::metric_type::gauge) continue;
      auto [it, fresh] = gauges.emplace(name, *entry.gauge);
      if (!fresh) {
        it->second.value = std::max(it->second.value, entry.gauge->value);
        it->second.max = std::max(it->second.max, entry.gauge->max);
      }
    }
    try {
      merged.merge(rec);
    } catch (const std::logic_error& e) {  // one name with two types across shards
      bad(shard.file, std::string("a metric's type differs from the other shards: ") + e.what());
    }

    if (const auto* arr = array_at(shard.doc, "checks"))
      for (const auto& c : *arr) {
        const auto* o = c.if_object();
        if (!o) continue;
        const auto name = string_at(*o, "name");
        auto [it, fresh] = check_by_name.emplace(name, *o);
        if (fresh) {
          check_order.push_back(name);
          continue;
        }
        auto& m = it->second;
        const auto fails_before = count_at(m, "fails");
        m["passes"] = detail::count_value(count_at(m, "passes") + count_at(*o, "passes"));
        m["fails"] = detail::count_value(fails_before + count_at(*o, "fails"));
        if (fails_before == 0 && count_at(*o, "fails") > 0) m["first_failure"] = o->at("first_failure");
      }
    if (const auto* arr = array_at(shard.doc, "errors"))
      for (const auto& e : *arr) {
        const auto* o = e.if_object();
        if (!o) continue;
        const auto kind = string_at(*o, "kind");
        auto [it, fresh] = errors.try_emplace(kind);
        if (fresh) error_order.push_back(kind);
        it->second.first += count_at(*o, "count");
        if (const auto* samples = array_at(*o, "samples"))
          for (const auto& s : *samples) {
            auto& list = it->second.second;
            if (!s.is_string() || list.size() >= metrics::recorder::max_error_samples) continue;
            std::string text(s.get_string());
            if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(text);
          }
      }
    if (const auto* arr = array_at(shard.doc, "close_codes"))
      for (const auto& c : *arr)
        if (const auto* o = c.if_object(); o && o->contains("code"))
          close_codes[int_of(o->at("code"))] += count_at(*o, "count");
    if (const auto* arr = array_at(shard.doc, "cases")) {
      have_cases = true;
      for (const auto& c : *arr) cases.push_back(c);
    }
    if (const auto* v = object_at(shard.doc, "validation")) {
      have_validation = true;
      validation_protocol = string_at(*v, "protocol");
      if (const auto* msgs = array_at(*v, "messages"))
        for (const auto& m : *msgs)
          if (const auto* o = m.if_object()) {
            std::pair key{string_at(*o, "direction"), string_at(*o, "type")};
            auto [it, fresh] = validation_counts.try_emplace(key);
            if (fresh) validation_order.push_back(key);
            it->second.first += count_at(*o, "count");
            it->second.second += count_at(*o, "invalid");
          }
      if (const auto* vs = array_at(*v, "violations"))
        for (const auto& x : *vs)
          if (violations.size() < 20) violations.push_back(x);  // samples, as each shard keeps
    }
    // Thresholds: parsed again from what the user wrote ("key expression"); each distinct once.
    if (const auto* arr = array_at(shard.doc, "thresholds"))
      for (const auto& t : *arr) {
        const auto* o = t.if_object();
        if (!o) continue;
        const auto source = string_at(*o, "expression");
        if (!threshold_sources.insert(source).second) continue;
        const auto space = source.find(' ');
        if (space == std::string::npos) bad(shard.file, "threshold '" + source + "' has no expression");
        try {
          specs.push_back(metrics::parse_threshold(source.substr(0, space), source.substr(space + 1)));
        } catch (const usage_error& e) {
          bad(shard.file, std::string("threshold: ") + e.what());
        }
      }
  }
  for (const auto& [name, g] : gauges) merged.gauge(name) = g;

  std::vector<metrics::threshold_result> thresholds;
  for (const auto& spec : specs) thresholds.push_back(metrics::evaluate_threshold(spec, merged, info.elapsed_seconds));

  // The outcome, decided on the merged data as run_outcome.cpp decides one run's.
  outcome result{0, "passed", "merged from " + std::to_string(shards.size()) + " shard(s)"};
  int breached = 0;
  for (const auto& t : thresholds) breached += t.ok ? 0 : 1;
  std::uint64_t failed_checks = 0;
  for (const auto& [name, c] : check_by_name) failed_checks += count_at(c, "fails");
  const std::uint64_t lua_errors = errors.count("lua_error") ? errors["lua_error"].first : 0;
  int failed_cases = 0;
  for (const auto& c : cases) {
    const auto* o = c.if_object();
    if (!o || string_at(*o, "verdict") == "FAILED" || string_at(*o, "verdict").empty()) ++failed_cases;
  }
  const std::string suffix = " (merged from " + std::to_string(shards.size()) + " shards)";
  if (info.interrupted) {
    result = {130, "interrupted", "a shard was interrupted; its results so far are kept" + suffix};
  } else if (any_unreachable_only) {
    result = {3, "unreachable", "no shard could connect to the target" + suffix};
  } else if (breached > 0) {
    result = {1, "thresholds_breached", std::to_string(breached) + " threshold(s) breached" + suffix};
  } else if (failed_checks > 0) {
    result = {1, "checks_failed", std::to_string(failed_checks) + " check(s) failed" + suffix};
  } else if (lua_errors > 0) {
    result = {1, "error", std::to_string(lua_errors) + " client(s) stopped on a Lua error (see errors)" + suffix};
  } else if (have_cases && failed_cases > 0) {
    result = {1, "cases_failed", std::to_string(failed_cases) + " of " + std::to_string(cases.size()) +
                                     " case(s) FAILED" + suffix};
  }

  json::object validation;
  if (have_validation) {
    json::array msgs;
    for (const auto& key : validation_order) {
      const auto& [count, invalid] = validation_counts[key];
      msgs.push_back(json::object{{"direction", key.first}, {"type", key.second},
                                  {"count", detail::count_value(count)}, {"invalid", detail::count_value(invalid)}});
    }
    validation = json::object{{"protocol", validation_protocol}, {"messages", std::move(msgs)},
                              {"violations", std::move(violations)}};
  }
  auto doc = build_result_document(info, merged, thresholds, result, have_validation ? &validation : nullptr,
                                   have_cases ? &cases : nullptr);

  // The recorder above holds only metrics; checks, errors and close codes were added as JSON.
  for (const auto& name : check_order) {
    auto c = check_by_name[name];
    const auto passes = count_at(c, "passes"), fails = count_at(c, "fails");
    c["rate"] = passes + fails > 0 ? detail::rounded(static_cast<double>(passes) / static_cast<double>(passes + fails), 6) : 0.0;
    if (fails == 0) c["first_failure"] = nullptr;
    checks.push_back(std::move(c));
  }
  std::stable_sort(error_order.begin(), error_order.end(),
                   [&](const auto& a, const auto& b) { return errors[a].first > errors[b].first; });
  for (const auto& kind : error_order) {
    json::array samples;
    for (const auto& s : errors[kind].second) samples.push_back(json::string(s));
    errors_out.push_back(json::object{{"kind", kind}, {"count", detail::count_value(errors[kind].first)},
                                      {"samples", std::move(samples)}});
  }
  for (const auto& [code, count] : close_codes)
    close_out.push_back(json::object{{"code", code}, {"count", detail::count_value(count)},
                                     {"meaning", close_code_meaning(static_cast<int>(code))}});
  // run fields this reader does not know (added by newer run commands: the workload model...)
  // come from the first shard; run.shard goes: the merged document is the whole test.
  auto& out_run = doc["run"].as_object();
  for (const auto& [key, value] : first_run)
    if (!out_run.contains(key) && key != "shard") out_run[key] = value;
  doc["checks"] = std::move(checks);
  doc["errors"] = std::move(errors_out);
  doc["close_codes"] = std::move(close_out);
  if (auto series = merge_timeseries(shards)) doc["timeseries"] = std::move(*series);

  // Trend means: the count-weighted mean of the shards' exact means (the rebuilt histograms
  // hold bucket values, not the recorded sums).
  auto& out_metrics = doc["metrics"].as_object();
  for (auto& [name, value] : out_metrics) {
    auto& m = value.as_object();
    if (string_at(m, "type") != "trend") continue;
    double sum = 0, n = 0;
    for (const auto& shard : shards) {
      const auto* sm = object_at(*object_at(shard.doc, "metrics"), name);
      if (!sm) continue;
      sum += number_at(*sm, "mean") * number_at(*sm, "count");
      n += number_at(*sm, "count");
    }
    m["mean"] = n > 0 ? detail::rounded(sum / n, 3) : 0.0;
  }
  return doc;
}

}  // namespace drover::reporting
