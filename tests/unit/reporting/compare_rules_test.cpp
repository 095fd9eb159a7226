// --fail-on rules of drover report compare (reporting/compare_rules.hpp): the rule grammar,
// usage errors that quote the rule, and when a rule is broken (limits, noise floor, gone metrics).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/reporting/compare_rules.hpp"

namespace drover::reporting::compare {
namespace {

namespace json = boost::json;

TEST(CompareRuleParse, RelativeAndAbsoluteLimitsBothWays) {
  auto r = parse_fail_rule("ws_connecting.p99 +10%");
  EXPECT_EQ(r.metric, "ws_connecting");
  EXPECT_EQ(r.aggregation, "p99");
  EXPECT_TRUE(r.increase);
  EXPECT_TRUE(r.relative);
  EXPECT_DOUBLE_EQ(r.limit, 10);

  r = parse_fail_rule("  checks.rate -1%  ");
  EXPECT_EQ(r.text, "checks.rate -1%");
  EXPECT_EQ(r.metric, "checks");
  EXPECT_FALSE(r.increase);
  EXPECT_TRUE(r.relative);

  r = parse_fail_rule("echo_rtt.max +2.5");
  EXPECT_FALSE(r.relative);
  EXPECT_DOUBLE_EQ(r.limit, 2.5);
}

TEST(CompareRuleParse, MetricNamesMayHoldDotsSpacesAndTags) {
  auto r = parse_fail_rule("widb_e2e{protocol:widb,scenario:dashboards}.p95 +5%");
  EXPECT_EQ(r.metric, "widb_e2e{protocol:widb,scenario:dashboards}");
  EXPECT_EQ(r.aggregation, "p95");
  r = parse_fail_rule("check:ack received.fails +0");
  EXPECT_EQ(r.metric, "check:ack received");
  EXPECT_EQ(r.aggregation, "fails");
  r = parse_fail_rule("my.app.latency.avg +3");
  EXPECT_EQ(r.metric, "my.app.latency");
  EXPECT_EQ(r.aggregation, "avg");
}

void expect_usage_error(const std::string& text, const std::string& says) {
  try {
    parse_fail_rule(text);
    ADD_FAILURE() << "accepted: " << text;
  } catch (const usage_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("\"" + text + "\""), std::string::npos) << what;  // quotes the rule
    EXPECT_NE(what.find(says), std::string::npos) << what;
    EXPECT_NE(what.find("METRIC.AGGREGATION"), std::string::npos) << what;  // says what is expected
  }
}

TEST(CompareRuleParse, BadRulesAreUsageErrorsQuotingTheRule) {
  expect_usage_error("ws_connecting.p99", "no limit");
  expect_usage_error("ws_connecting.p99 10%", "no + or - sign");
  expect_usage_error("ws_connecting.p99 +ten%", "not a number");
  expect_usage_error("ws_connecting.p99 +%", "not a number");
  expect_usage_error("ws_connecting.p99 +1e999", "not a number");
  expect_usage_error("ws_connecting.p42 +10%", "unknown aggregation 'p42'");
  expect_usage_error("ws_connecting +10%", "not METRIC.AGGREGATION");
  expect_usage_error("", "no limit");
}

row make_row(std::string section, std::string metric, std::string agg, std::string unit, std::optional<double> base,
             std::optional<double> next, direction dir) {
  row r;
  r.section = std::move(section);
  r.metric = std::move(metric);
  r.aggregation = std::move(agg);
  r.unit = std::move(unit);
  r.base = base;
  r.next = next;
  r.dir = dir;
  return r;
}

// One row each: a latency p99, the checks rate, a count.
run_comparison comparison(double base_p99, double new_p99, double base_rate = 1, double new_rate = 1) {
  run_comparison c;
  c.rows.push_back(make_row("trends", "rtt", "p99", "ms", base_p99, new_p99, direction::higher_is_worse));
  c.rows.push_back(make_row("rates", "checks", "rate", "ratio", base_rate, new_rate, direction::lower_is_worse));
  c.rows.push_back(make_row("trends", "only_new", "p99", "ms", std::nullopt, 5.0, direction::higher_is_worse));
  c.rows.push_back(make_row("trends", "only_base", "p99", "ms", 5.0, std::nullopt, direction::higher_is_worse));
  return c;
}

TEST(CompareRuleJudge, RelativeRiseBeyondTheLimitAndTheFloorBreaksTheRule) {
  const noise_band band{0.10, 20};
  const auto rule = parse_fail_rule("rtt.p99 +10%");
  EXPECT_FALSE(judge_rule(rule, comparison(500, 549), band).broken);
  const auto broken = judge_rule(rule, comparison(500, 551), band);
  EXPECT_TRUE(broken.broken);
  // The message names the rule, the base and the new value.
  EXPECT_NE(broken.message.find("rtt.p99 +10%"), std::string::npos) << broken.message;
  EXPECT_NE(broken.message.find("500.0 ms"), std::string::npos) << broken.message;
  EXPECT_NE(broken.message.find("551.0 ms"), std::string::npos) << broken.message;
}

TEST(CompareRuleJudge, ARelativeRuleIgnoresLatencyChangesInsideTheNoiseFloor) {
  const noise_band band{0.10, 20};
  const auto rule = parse_fail_rule("rtt.p99 +50%");
  const auto held = judge_rule(rule, comparison(0.3, 9.0), band);  // +2900 %, but 8.7 ms
  EXPECT_FALSE(held.broken);
  EXPECT_NE(held.message.find("noise floor"), std::string::npos) << held.message;
  EXPECT_TRUE(judge_rule(rule, comparison(1.5, 584.3), band).broken);
  // With no floor, the same change breaks it.
  EXPECT_TRUE(judge_rule(rule, comparison(0.3, 9.0), noise_band{0.10, 0}).broken);
}

TEST(CompareRuleJudge, AbsoluteLimitsIgnoreTheFloor) {
  const noise_band band{0.10, 20};
  EXPECT_TRUE(judge_rule(parse_fail_rule("rtt.p99 +5"), comparison(1, 7), band).broken);
  EXPECT_FALSE(judge_rule(parse_fail_rule("rtt.p99 +5"), comparison(1, 6), band).broken);
  EXPECT_FALSE(judge_rule(parse_fail_rule("rtt.p99 +5"), comparison(100, 1), band).broken);  // a fall is fine
}

TEST(CompareRuleJudge, FallLimitsForMetricsWhereLowerIsWorse) {
  const noise_band band{0.10, 20};
  const auto rule = parse_fail_rule("checks.rate -1%");
  EXPECT_FALSE(judge_rule(rule, comparison(1, 1, 1.0, 0.995), band).broken);
  EXPECT_TRUE(judge_rule(rule, comparison(1, 1, 1.0, 0.98), band).broken);
  EXPECT_FALSE(judge_rule(rule, comparison(1, 1, 0.9, 1.0), band).broken);  // a rise is fine
}

TEST(CompareRuleJudge, GoneMetricsBreakNewOnesAreNotJudgedUnknownOnesAreUsageErrors) {
  const noise_band band;
  const auto gone = judge_rule(parse_fail_rule("only_base.p99 +10%"), comparison(1, 1), band);
  EXPECT_TRUE(gone.broken);
  EXPECT_NE(gone.message.find("gone"), std::string::npos);
  const auto added = judge_rule(parse_fail_rule("only_new.p99 +10%"), comparison(1, 1), band);
  EXPECT_FALSE(added.broken);
  EXPECT_FALSE(added.judged);
  EXPECT_THROW(judge_rule(parse_fail_rule("nothing.p99 +10%"), comparison(1, 1), band), usage_error);
}

TEST(CompareRuleJudge, ZeroBaseBreaksARelativeRuleOnAnyRiseBeyondTheFloor) {
  run_comparison c;
  c.rows.push_back(make_row("errors", "error:timeout", "count", "", 0.0, 1.0, direction::higher_is_worse));
  EXPECT_TRUE(judge_rule(parse_fail_rule("error:timeout.count +100%"), c, noise_band{}).broken);
}

}  // namespace
}  // namespace drover::reporting::compare
