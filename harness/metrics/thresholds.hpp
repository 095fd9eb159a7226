#pragma once
// Thresholds in k6's style: pass/fail criteria on the merged metrics of a run.
//   ["ws_connecting.p99"] = "< 200"           aggregation in the key
//   ["ws_connecting"]     = "p(99) < 200"      aggregation in the expression
//   checks                = "rate > 0.99"
//   ws_msgs_received      = { "count > 100", "rate > 10" }   (a list: several thresholds)
// Aggregations: trends avg|mean|min|max|med|count|pN|p(N) (N may have decimals: p99.9);
// counters count|rate (per second of run time); rates rate|passes|fails|count; gauges value|max.
// Operators: < <= > >= == !=. Time trends compare in milliseconds.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/metrics/recorder.hpp"

namespace drover::metrics {

struct threshold_spec {
  std::string metric;       // "ws_connecting"
  std::string aggregation;  // normalised: "p99", "p99.9", "avg", "count", "rate", ...
  std::string op;           // "<", "<=", ">", ">=", "==", "!="
  double value = 0;
  std::string source;       // "ws_connecting.p99 < 200" as the user wrote it (key + expression)
};

// A metric name with k6-style tags: "iteration_duration{scenario:phones,kind:phone}".
struct tagged_name {
  std::string metric;                       // "iteration_duration"
  std::map<std::string, std::string> tags;  // empty for a plain name
};
// Throws usage_error naming the name when the tags are not "{key:value,...}" (no empty key or
// value, no key twice, none of { } : " inside).
tagged_name split_tagged_name(std::string_view name);
// The one form drover records and compares: tags sorted by key, no spaces:
// "iteration_duration{kind:phone,scenario:phones}"; a plain name stays as it is.
std::string canonical_tagged_name(const tagged_name& t);

// Throws usage_error naming the key and expression when they cannot be parsed. A tagged
// metric name is normalised to its canonical form (spec.metric), so that
// "x{scenario:a, kind:b}" and "x{kind:b,scenario:a}" name the same sub-metric.
threshold_spec parse_threshold(std::string_view key, std::string_view expression);

struct threshold_result {
  threshold_spec spec;
  bool ok = false;
  std::optional<double> actual;  // empty when the metric was never recorded (then ok=false)
  std::string message;           // e.g. "ws_connecting.p99 = 231.4 ms, wanted < 200"
};

// elapsed_seconds is the run's length, for counter rates. Call after merging.
threshold_result evaluate_threshold(const threshold_spec& spec, const recorder& merged, double elapsed_seconds);

// The value of one aggregation of one metric, or nullopt when missing or not applicable.
std::optional<double> aggregate(const recorder& merged, std::string_view metric, std::string_view aggregation,
                                double elapsed_seconds);

}  // namespace drover::metrics
