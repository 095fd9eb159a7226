#include "harness/reporting/compare_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "harness/common/error.hpp"
#include "harness/reporting/compare_format.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting::compare {
namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

[[noreturn]] void bad_rule(std::string_view text, const std::string& why) {
  throw usage_error("--fail-on \"" + std::string(text) + "\": " + why +
                    "; expected METRIC.AGGREGATION followed by +N%, +N, -N% or -N "
                    "(e.g. \"ws_connecting.p99 +10%\", \"checks.rate -1%\")");
}

// "12", "0.5": a finite non-negative decimal and nothing else.
bool parse_amount(const std::string& text, double& out) {
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text.front())))) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

}  // namespace

const std::vector<std::string>& rule_aggregations() {
  static const std::vector<std::string> aggs = [] {
    auto a = trend_aggregations();
    for (const char* more : {"rate", "passes", "fails", "fail_ratio", "ok"}) a.emplace_back(more);
    return a;
  }();
  return aggs;
}

fail_rule parse_fail_rule(std::string_view text) {
  const std::string rule_text = trim(text);
  const auto space = rule_text.find_last_of(" \t");
  if (space == std::string::npos) bad_rule(text, "no limit after the metric");
  const std::string subject = trim(std::string_view(rule_text).substr(0, space));
  std::string limit = rule_text.substr(space + 1);

  fail_rule rule;
  rule.text = rule_text;
  const auto dot = subject.rfind('.');
  if (dot == std::string::npos || dot == 0) bad_rule(text, "'" + subject + "' is not METRIC.AGGREGATION");
  rule.metric = subject.substr(0, dot);
  rule.aggregation = subject.substr(dot + 1);
  const auto& aggs = rule_aggregations();
  if (std::find(aggs.begin(), aggs.end(), rule.aggregation) == aggs.end())
    bad_rule(text, "unknown aggregation '" + rule.aggregation + "' (one of " + joined(aggs) + ")");

  if (limit.front() != '+' && limit.front() != '-') bad_rule(text, "the limit '" + limit + "' has no + or - sign");
  rule.increase = limit.front() == '+';
  limit.erase(0, 1);
  if (!limit.empty() && limit.back() == '%') {
    rule.relative = true;
    limit.pop_back();
  }
  if (!parse_amount(limit, rule.limit)) bad_rule(text, "the limit '" + limit + "' is not a number");
  return rule;
}

rule_result judge_rule(const fail_rule& rule, const run_comparison& comparison, const noise_band& band) {
  const row* found = find_row(comparison, rule.metric, rule.aggregation);
  if (!found)
    throw usage_error("--fail-on \"" + rule.text + "\": neither document has " + rule.metric + "." +
                      rule.aggregation);
  rule_result result{rule, false, true, *found, {}};
  const row& r = *found;
  const std::string values = format_value(r.base, r.unit) + " -> " + format_value(r.next, r.unit);
  if (!r.base) {
    result.judged = false;
    result.message = rule.text + ": no baseline (only in the new document: " + values + "), not judged";
    return result;
  }
  if (!r.next) {
    result.broken = true;
    result.message = rule.text + ": gone from the new document (base " + format_value(r.base, r.unit) + ")";
    return result;
  }
  // The change in the direction the rule limits: a rise for '+', a fall for '-'.
  const double moved = rule.increase ? *r.next - *r.base : *r.base - *r.next;
  if (rule.relative) {
    const double allowed = rule.limit / 100.0 * std::fabs(*r.base);
    const double floor = r.unit == "ms" ? band.floor_ms : 0.0;
    result.broken = moved > allowed && moved > floor;
  } else {
    result.broken = moved > rule.limit;
  }
  std::string change = format_change(r.absolute_change(), r.unit);
  const auto rel = format_relative(r.relative_change());
  if (!rel.empty()) change += ", " + rel;
  const std::string allowed = std::string(rule.increase ? "+" : "-") + plain_number(rule.limit) +
                              (rule.relative ? "%" : r.unit == "ms" ? " ms" : "");
  const bool saved_by_floor = rule.relative && !result.broken && moved > rule.limit / 100.0 * std::fabs(*r.base);
  result.message = rule.text + ": " + values + " (" + change + "), allowed " + allowed +
                   (saved_by_floor ? " (inside the " + plain_number(band.floor_ms) + " ms noise floor)" : "");
  return result;
}

}  // namespace drover::reporting::compare
