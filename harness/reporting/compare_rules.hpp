#pragma once
// `--fail-on` rules of `drover report compare`: "METRIC.AGGREGATION LIMIT", where LIMIT is
//   +N%  the value may rise by at most N percent of the base value
//   +N   the value may rise by at most N, in the metric's unit (ms for time trends)
//   -N%  the value may fall by at most N percent (metrics where lower is worse: "checks.rate -1%")
//   -N   the value may fall by at most N
// e.g. "ws_connecting.p99 +10%". A relative rule is not broken by a change inside the noise
// band's absolute floor (compare.hpp): 0.3 ms -> 0.5 ms on loopback is +66 % and still noise.
//
// Threading: pure functions; callable from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/reporting/compare.hpp"

namespace drover::reporting::compare {

struct fail_rule {
  std::string text;  // as the user wrote it
  std::string metric;
  std::string aggregation;
  bool increase = true;   // '+': a rise is limited; '-': a fall is limited
  bool relative = false;  // '%'
  double limit = 0;       // N (percent when relative)
};

// The aggregations a rule may name (those compare_runs produces rows for).
const std::vector<std::string>& rule_aggregations();

// Throws usage_error quoting the rule and saying what was expected.
fail_rule parse_fail_rule(std::string_view text);

struct rule_result {
  fail_rule rule;
  bool broken = false;
  bool judged = false;  // false: the metric is only in the new document (no baseline), not broken
  std::optional<row> value;    // a copy of the compared row
  std::string message;         // "echo_rtt.p99 +50%: 0.28 -> 584.3 ms (+584.0 ms, +210857%), allowed +50%"
};

// Judges a rule on a comparison. The metric in only the base document breaks the rule (it is
// gone); in only the new one, the rule is not judged. Throws usage_error naming the rule when
// neither document has metric.aggregation.
rule_result judge_rule(const fail_rule& rule, const run_comparison& comparison, const noise_band& band);

}  // namespace drover::reporting::compare
