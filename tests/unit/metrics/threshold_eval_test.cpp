#include <gtest/gtest.h>

#include <string>

#include "harness/metrics/thresholds.hpp"

namespace {

using namespace drover::metrics;

threshold_result evaluate(std::string_view key, std::string_view expression, const recorder& r, double elapsed = 10) {
  return evaluate_threshold(parse_threshold(key, expression), r, elapsed);
}

recorder connecting_times() {
  recorder r;
  for (int i = 1; i <= 100; ++i) r.add_trend(names::ws_connecting, i);  // 1..100 ms
  return r;
}

TEST(ThresholdEval, TrendPasses) {
  const recorder r = connecting_times();
  const threshold_result res = evaluate("ws_connecting.p99", "< 200", r);
  EXPECT_TRUE(res.ok);
  ASSERT_TRUE(res.actual.has_value());
  // Percentiles report the top of their 3-digit bucket: never below the true value.
  EXPECT_GE(*res.actual, 99);
  EXPECT_NEAR(*res.actual, 99, 99 * 0.001);
  EXPECT_TRUE(res.message.starts_with("ws_connecting.p99 = 99.0")) << res.message;
  EXPECT_TRUE(res.message.ends_with(" ms, wanted < 200")) << res.message;
  EXPECT_EQ(res.spec.source, "ws_connecting.p99 < 200");
}

TEST(ThresholdEval, TrendBreachReportsTheActualValueInMilliseconds) {
  recorder r;
  for (int i = 0; i < 10; ++i) r.add_trend(names::ws_connecting, 231.4);
  const threshold_result res = evaluate("ws_connecting.p99", "< 200", r);
  EXPECT_FALSE(res.ok);
  ASSERT_TRUE(res.actual.has_value());
  EXPECT_DOUBLE_EQ(*res.actual, 231.4);
  EXPECT_EQ(res.message, "ws_connecting.p99 = 231.400 ms, wanted < 200");
}

TEST(ThresholdEval, TrendAggregations) {
  const recorder r = connecting_times();
  EXPECT_DOUBLE_EQ(*aggregate(r, names::ws_connecting, "avg", 1), 50.5);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::ws_connecting, "mean", 1), 50.5);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::ws_connecting, "min", 1), 1);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::ws_connecting, "max", 1), 100);
  EXPECT_NEAR(*aggregate(r, names::ws_connecting, "med", 1), 50, 50 * 0.001);
  EXPECT_NEAR(*aggregate(r, names::ws_connecting, "p(95)", 1), 95, 95 * 0.001);
  EXPECT_EQ(*aggregate(r, names::ws_connecting, "p(95)", 1), *aggregate(r, names::ws_connecting, "p95", 1));
  EXPECT_DOUBLE_EQ(*aggregate(r, names::ws_connecting, "p100", 1), 100);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::ws_connecting, "count", 1), 100);
  EXPECT_FALSE(aggregate(r, names::ws_connecting, "rate", 1).has_value());
  EXPECT_FALSE(aggregate(r, names::ws_connecting, "nonsense", 1).has_value());
}

TEST(ThresholdEval, TrendCountHasNoUnit) {
  const recorder r = connecting_times();
  EXPECT_EQ(evaluate("ws_connecting.count", ">= 100", r).message, "ws_connecting.count = 100, wanted >= 100");
}

TEST(ThresholdEval, TrendWithoutTimeUnitPrintsNoMilliseconds) {
  recorder r;
  r.trend("payload_size", value_unit::bytes).add(512);
  const threshold_result res = evaluate("payload_size", "max < 1024", r);
  EXPECT_TRUE(res.ok);
  EXPECT_EQ(res.message, "payload_size.max = 512.000, wanted < 1024");
}

TEST(ThresholdEval, MissingMetricFails) {
  const recorder r;
  const threshold_result res = evaluate("ws_ping.p95", "< 50", r);
  EXPECT_FALSE(res.ok);
  EXPECT_FALSE(res.actual.has_value());
  EXPECT_NE(res.message.find("\"ws_ping\" was never recorded"), std::string::npos) << res.message;
  EXPECT_FALSE(aggregate(r, names::ws_ping, "p95", 1).has_value());
}

TEST(ThresholdEval, TrendWithoutValuesFails) {
  recorder r;
  r.trend(names::ws_ping);
  const threshold_result res = evaluate("ws_ping.p95", "< 50", r);
  EXPECT_FALSE(res.ok);
  EXPECT_FALSE(res.actual.has_value());
  EXPECT_NE(res.message.find("no value"), std::string::npos) << res.message;
}

TEST(ThresholdEval, AggregationThatDoesNotApplyFails) {
  const recorder r = connecting_times();
  const threshold_result res = evaluate("ws_connecting.rate", "> 1", r);
  EXPECT_FALSE(res.ok);
  EXPECT_FALSE(res.actual.has_value());
  EXPECT_NE(res.message.find("does not apply"), std::string::npos) << res.message;
  EXPECT_NE(res.message.find("trend: avg"), std::string::npos) << res.message;
}

TEST(ThresholdEval, CounterCountAndRatePerSecond) {
  recorder r;
  r.add_counter(names::ws_msgs_received, 500);
  const threshold_result count = evaluate("ws_msgs_received.count", "> 100", r, 10);
  EXPECT_TRUE(count.ok);
  EXPECT_EQ(count.message, "ws_msgs_received.count = 500, wanted > 100");

  const threshold_result rate = evaluate("ws_msgs_received", "rate > 60", r, 10);
  EXPECT_FALSE(rate.ok);
  ASSERT_TRUE(rate.actual.has_value());
  EXPECT_DOUBLE_EQ(*rate.actual, 50);
  EXPECT_EQ(rate.message, "ws_msgs_received.rate = 50.000/s, wanted > 60");

  const threshold_result zero_run = evaluate("ws_msgs_received", "rate > 1", r, 0);
  EXPECT_FALSE(zero_run.ok);
  EXPECT_FALSE(zero_run.actual.has_value());
}

TEST(ThresholdEval, ChecksRate) {
  recorder r;
  for (int i = 0; i < 99; ++i) r.add_check("reply ok", true);
  r.add_check("reply ok", false, "bad reply");
  EXPECT_FALSE(evaluate("checks", "rate > 0.99", r).ok);
  const threshold_result res = evaluate("checks", "rate >= 0.99", r);
  EXPECT_TRUE(res.ok);
  EXPECT_DOUBLE_EQ(*res.actual, 0.99);
  EXPECT_EQ(res.message, "checks.rate = 0.990, wanted >= 0.99");
  EXPECT_DOUBLE_EQ(*aggregate(r, names::checks, "passes", 1), 99);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::checks, "fails", 1), 1);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::checks, "count", 1), 100);
  EXPECT_TRUE(evaluate("checks.fails", "< 2", r).ok);
}

TEST(ThresholdEval, GaugeValueAndMax) {
  recorder r;
  r.set_gauge(names::vus, 8);
  r.set_gauge(names::vus, 2);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::vus, "value", 1), 2);
  EXPECT_DOUBLE_EQ(*aggregate(r, names::vus, "max", 1), 8);
  EXPECT_TRUE(evaluate("vus.max", "== 8", r).ok);
  EXPECT_TRUE(evaluate("vus.value", "!= 8", r).ok);
}

TEST(ThresholdEval, EvaluatesMergedRecorders) {
  recorder a = connecting_times();
  recorder b;
  for (int i = 0; i < 100; ++i) b.add_trend(names::ws_connecting, 1000);
  a.merge(b);
  const threshold_result res = evaluate("ws_connecting", "p(90) < 500", a);
  EXPECT_FALSE(res.ok);
  EXPECT_DOUBLE_EQ(*res.actual, 1000);
  EXPECT_TRUE(evaluate("ws_connecting", "med < 101", a).ok);
}

}  // namespace
