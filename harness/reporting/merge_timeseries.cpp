// `drover report merge`: the shards' "timeseries" merged by interval (merge.hpp).
#include <algorithm>
#include <cmath>
#include <map>

#include "harness/common/error.hpp"
#include "harness/reporting/document_parts.hpp"
#include "harness/reporting/merge.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

double number_of(const json::value* v) {
  if (v == nullptr) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return 0;
}
std::uint64_t count_of(const json::value* v) {
  const double d = number_of(v);
  return d > 0 ? static_cast<std::uint64_t>(d + 0.5) : 0;
}

constexpr const char* count_fields[] = {"active_clients", "sessions_opened", "sessions_closed", "msgs_sent",
                                        "msgs_received",  "bytes_sent",      "bytes_received",  "iterations",
                                        "dropped_iterations", "checks_passed", "checks_failed"};

struct merged_point {
  std::int64_t end_ms = 0;
  std::map<std::string, std::uint64_t> counts;
  std::map<std::string, std::uint64_t> errors, close_codes;
  struct trend {
    std::uint64_t count = 0;
    double max = 0;
  };
  std::map<std::string, trend> trends;
};

}  // namespace

std::optional<json::object> merge_timeseries(const std::vector<shard_summary>& shards) {
  const json::object* first = nullptr;
  const std::filesystem::path* first_file = nullptr;
  double base_s = 0;
  for (const auto& shard : shards) {
    const auto* v = shard.doc.if_contains("timeseries");
    if (v == nullptr || !v->is_object()) continue;
    const auto& ts = v->get_object();
    if (first != nullptr && number_of(ts.if_contains("interval_ms")) != number_of(first->if_contains("interval_ms")))
      throw usage_error(shard.file.string() + ": timeseries.interval_ms differs from " + first_file->string() +
                        "'s: run every shard with the same --interval to merge their results over time");
    const double started = number_of(ts.if_contains("started_unix_s"));
    base_s = first == nullptr ? started : std::min(base_s, started);
    if (first == nullptr) {
      first = &ts;
      first_file = &shard.file;
    }
  }
  if (first == nullptr) return std::nullopt;
  const auto interval_ms = static_cast<std::int64_t>(number_of(first->if_contains("interval_ms")));
  if (interval_ms <= 0) throw usage_error(first_file->string() + ": timeseries.interval_ms is not a positive number");

  // Shards start within moments of each other: each point goes to the interval of the merged
  // series (aligned on the earliest shard's start) nearest to its own start.
  std::map<std::int64_t, merged_point> slots;
  for (const auto& shard : shards) {
    const auto* v = shard.doc.if_contains("timeseries");
    if (v == nullptr || !v->is_object()) continue;
    const auto& ts = v->get_object();
    const double offset_ms = (number_of(ts.if_contains("started_unix_s")) - base_s) * 1000.0;
    const auto* points = ts.if_contains("points");
    if (points == nullptr || !points->is_array())
      throw usage_error(shard.file.string() + ": timeseries has no points array");
    for (const auto& pv : points->get_array()) {
      const auto* p = pv.if_object();
      if (p == nullptr) throw usage_error(shard.file.string() + ": a timeseries point is not an object");
      const double t = number_of(p->if_contains("t_ms")), end = number_of(p->if_contains("end_ms"));
      const auto slot = static_cast<std::int64_t>(std::llround((t + offset_ms) / static_cast<double>(interval_ms)));
      auto& m = slots[slot];
      m.end_ms = std::max(m.end_ms, slot * interval_ms + static_cast<std::int64_t>(std::llround(end - t)));
      for (const char* f : count_fields) m.counts[f] += count_of(p->if_contains(f));
      if (const auto* e = p->if_contains("errors"); e && e->is_object())
        for (const auto& [k, n] : e->get_object()) m.errors[std::string(k)] += count_of(&n);
      if (const auto* c = p->if_contains("close_codes"); c && c->is_object())
        for (const auto& [k, n] : c->get_object()) m.close_codes[std::string(k)] += count_of(&n);
      if (const auto* tr = p->if_contains("trends"); tr && tr->is_object())
        for (const auto& [name, tv] : tr->get_object()) {
          const auto* to = tv.if_object();
          if (to == nullptr) continue;
          auto& mt = m.trends[std::string(name)];
          mt.count += count_of(to->if_contains("count"));
          mt.max = std::max(mt.max, number_of(to->if_contains("max")));
        }
    }
  }

  json::array points;
  for (const auto& [slot, m] : slots) {
    json::object p{{"t_ms", slot * interval_ms}, {"end_ms", std::max(m.end_ms, slot * interval_ms + 1)}};
    for (const char* f : count_fields) {
      auto it = m.counts.find(f);
      p[f] = detail::count_value(it == m.counts.end() ? 0 : it->second);
    }
    json::object errors, codes, trends;
    for (const auto& [k, n] : m.errors) errors[k] = detail::count_value(n);
    for (const auto& [k, n] : m.close_codes) codes[k] = detail::count_value(n);
    // Percentiles of shards cannot be merged from percentiles: the merged point keeps the exact
    // count and max and leaves p50/p95/p99 out (README "Results over time").
    for (const auto& [k, t] : m.trends)
      trends[k] = json::object{{"count", detail::count_value(t.count)}, {"max", detail::rounded(t.max, 3)}};
    p["errors"] = std::move(errors);
    p["close_codes"] = std::move(codes);
    p["trends"] = std::move(trends);
    points.push_back(std::move(p));
  }
  return json::object{{"interval_ms", interval_ms}, {"started_unix_s", detail::rounded(base_s, 3)},
                      {"points", std::move(points)}};
}

}  // namespace drover::reporting
