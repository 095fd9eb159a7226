// drover report compare, the diff of two run documents (reporting/compare.hpp): which values
// are compared, their changes, and the noise band that separates a regression from jitter.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/reporting/compare.hpp"

namespace drover::reporting::compare {
namespace {

namespace json = boost::json;

json::object trend(double count, double p99, double mean = 1) {
  return json::object{{"type", "trend"}, {"unit", "ms"}, {"count", count}, {"min", 0.1}, {"max", p99 * 1.5},
                      {"mean", mean},    {"p50", mean},  {"p90", p99},     {"p95", p99}, {"p99", p99}};
}

// A minimal run document: one latency trend, one counter, the checks rate, one check, one
// threshold, errors and close codes.
json::object run_doc(double p99, double msgs, std::uint64_t check_fails, bool threshold_ok,
                     json::array errors = {}, json::array close_codes = {}) {
  json::object metrics{
      {"echo_rtt", trend(100, p99)},
      {"ws_msgs_received", json::object{{"type", "counter"}, {"unit", ""}, {"count", msgs}, {"rate", msgs / 10}}},
      {"checks", json::object{{"type", "rate"}, {"passes", 100}, {"fails", check_fails},
                              {"rate", 100.0 / (100.0 + static_cast<double>(check_fails))}}}};
  return json::object{
      {"tool", json::object{{"name", "drover"}, {"version", "t"}}},
      {"command", "run"},
      {"metrics", std::move(metrics)},
      {"checks", json::array{json::object{{"name", "ack received"}, {"passes", 100}, {"fails", check_fails}}}},
      {"thresholds", json::array{json::object{{"metric", "echo_rtt"}, {"expression", "echo_rtt.p99 < 250"},
                                              {"ok", threshold_ok}}}},
      {"errors", std::move(errors)},
      {"close_codes", std::move(close_codes)}};
}

const row& at(const run_comparison& c, std::string_view metric, std::string_view agg) {
  const row* r = find_row(c, metric, agg);
  if (!r) throw std::runtime_error("no row " + std::string(metric) + "." + std::string(agg));
  return *r;
}

TEST(CompareNoiseBand, LatencyInsideTheAbsoluteFloorIsNoiseWhateverItsRelativeChange) {
  const noise_band band;  // 10 %, 20 ms
  // 0.3 ms -> 0.5 ms is +66 % but 0.2 ms: loopback jitter.
  EXPECT_EQ(classify(0.3, 0.5, "ms", direction::higher_is_worse, false, band), mark::within_noise);
  EXPECT_EQ(classify(0.3, 20.3, "ms", direction::higher_is_worse, false, band), mark::within_noise);
  EXPECT_EQ(classify(0.3, 20.4, "ms", direction::higher_is_worse, false, band), mark::regression);
  EXPECT_EQ(classify(1.5, 584.3, "ms", direction::higher_is_worse, false, band), mark::regression);
  EXPECT_EQ(classify(584.3, 1.5, "ms", direction::higher_is_worse, false, band), mark::improvement);
}

TEST(CompareNoiseBand, LargeLatenciesUseTheRelativeBand) {
  const noise_band band{0.10, 20};
  // 10 % of 1000 ms is 100 ms, more than the floor.
  EXPECT_EQ(classify(1000, 1099, "ms", direction::higher_is_worse, false, band), mark::within_noise);
  EXPECT_EQ(classify(1000, 1101, "ms", direction::higher_is_worse, false, band), mark::regression);
  EXPECT_DOUBLE_EQ(noise_allowance(1000, "ms", band), 100);
  EXPECT_DOUBLE_EQ(noise_allowance(1, "ms", band), 20);
}

TEST(CompareNoiseBand, CountsHaveNoAbsoluteFloor) {
  const noise_band band{0.10, 20};
  EXPECT_EQ(classify(0, 1, "", direction::higher_is_worse, false, band), mark::regression);
  EXPECT_EQ(classify(100, 109, "", direction::lower_is_worse, false, band), mark::within_noise);
  EXPECT_EQ(classify(100, 89, "", direction::lower_is_worse, false, band), mark::regression);
  EXPECT_EQ(classify(100, 120, "", direction::neutral, false, band), mark::changed);
  EXPECT_DOUBLE_EQ(noise_allowance(0, "", band), 0);
}

TEST(CompareNoiseBand, ExactValuesChangeAtAnyDifferenceAndMissingSidesAreNewOrGone) {
  const noise_band band{0.5, 1000};
  EXPECT_EQ(classify(1, 0, "verdict", direction::lower_is_worse, true, band), mark::regression);
  EXPECT_EQ(classify(0, 1, "verdict", direction::lower_is_worse, true, band), mark::improvement);
  EXPECT_EQ(classify(1, 1, "verdict", direction::lower_is_worse, true, band), mark::unchanged);
  EXPECT_EQ(classify(std::nullopt, 3, "ms", direction::higher_is_worse, false, band), mark::added);
  EXPECT_EQ(classify(3, std::nullopt, "ms", direction::higher_is_worse, false, band), mark::gone);
}

TEST(CompareNoiseBand, ANarrowerBandFlagsWhatTheDefaultCallsNoise) {
  const noise_band tight{0.01, 0.1};
  EXPECT_EQ(classify(0.3, 0.5, "ms", direction::higher_is_worse, false, tight), mark::regression);
}

TEST(CompareRuns, EveryTrendAggregationCounterRateCheckAndThresholdIsARow) {
  const auto c = compare_runs(run_doc(1.5, 1000, 0, true), run_doc(584.3, 200, 5, false), noise_band{});
  for (const auto& agg : trend_aggregations()) EXPECT_NE(find_row(c, "echo_rtt", agg), nullptr) << agg;

  const auto& p99 = at(c, "echo_rtt", "p99");
  EXPECT_EQ(p99.section, "trends");
  EXPECT_EQ(p99.unit, "ms");
  EXPECT_DOUBLE_EQ(*p99.base, 1.5);
  EXPECT_DOUBLE_EQ(*p99.next, 584.3);
  EXPECT_DOUBLE_EQ(*p99.absolute_change(), 582.8);
  EXPECT_NEAR(*p99.relative_change(), 582.8 / 1.5, 1e-9);
  EXPECT_EQ(p99.verdict, mark::regression);
  EXPECT_EQ(at(c, "echo_rtt", "avg").unit, "ms");  // "avg" reads the document's mean
  EXPECT_EQ(at(c, "echo_rtt", "count").verdict, mark::within_noise);  // both 100

  // Throughput: fewer messages is worse; its per-second rate is a row too.
  EXPECT_EQ(at(c, "ws_msgs_received", "count").verdict, mark::regression);
  const auto& rate = at(c, "ws_msgs_received", "rate");
  EXPECT_EQ(rate.unit, "/s");
  EXPECT_DOUBLE_EQ(*rate.base, 100);
  EXPECT_DOUBLE_EQ(*rate.next, 20);

  EXPECT_EQ(at(c, "checks", "rate").section, "rates");
  EXPECT_EQ(at(c, "check:ack received", "fails").verdict, mark::regression);
  const auto& ratio = at(c, "check:ack received", "fail_ratio");
  EXPECT_DOUBLE_EQ(*ratio.base, 0);
  EXPECT_DOUBLE_EQ(*ratio.next, 5.0 / 105.0);
  EXPECT_FALSE(ratio.relative_change().has_value());  // base 0: no relative change
  EXPECT_EQ(ratio.verdict, mark::regression);

  const auto& threshold = at(c, "threshold:echo_rtt.p99 < 250", "ok");
  EXPECT_EQ(threshold.unit, "verdict");
  EXPECT_EQ(threshold.verdict, mark::regression);
}

TEST(CompareRuns, TwoEqualRunsAreAllWithinNoiseOrUnchanged) {
  const auto doc = run_doc(1.5, 1000, 0, true);
  const auto c = compare_runs(doc, doc, noise_band{});
  ASSERT_FALSE(c.rows.empty());
  for (const auto& r : c.rows)
    EXPECT_TRUE(r.verdict == mark::within_noise || r.verdict == mark::unchanged) << r.metric << "." << r.aggregation;
}

TEST(CompareRuns, MetricsInOneDocumentOnlyAreNewOrGone) {
  auto base = run_doc(1.5, 1000, 0, true), next = run_doc(1.5, 1000, 0, true);
  base["metrics"].as_object()["old_trend"] = trend(5, 3);
  next["metrics"].as_object()["new_trend"] = trend(5, 3);
  const auto c = compare_runs(base, next, noise_band{});
  EXPECT_EQ(at(c, "old_trend", "p99").verdict, mark::gone);
  EXPECT_EQ(at(c, "new_trend", "p99").verdict, mark::added);
  EXPECT_FALSE(at(c, "new_trend", "p99").absolute_change().has_value());
}

TEST(CompareRuns, AnEmptyTrendComparesOnlyItsCount) {
  auto base = run_doc(1.5, 1000, 0, true), next = run_doc(1.5, 1000, 0, true);
  base["metrics"].as_object()["idle"] = trend(0, 0);
  next["metrics"].as_object()["idle"] = trend(4, 7);
  const auto c = compare_runs(base, next, noise_band{});
  EXPECT_EQ(at(c, "idle", "count").verdict, mark::changed);
  EXPECT_EQ(at(c, "idle", "p99").verdict, mark::added);
}

TEST(CompareRuns, ErrorKindsAndCloseCodesAbsentFromOneRunCountAsZero) {
  const auto base = run_doc(1.5, 1000, 0, true, {},
                            json::array{json::object{{"code", 1000}, {"count", 10}, {"meaning", "Normal Closure"}}});
  const auto next = run_doc(
      1.5, 1000, 0, true, json::array{json::object{{"kind", "timeout"}, {"count", 3}, {"samples", json::array{}}}},
      json::array{json::object{{"code", 1000}, {"count", 7}, {"meaning", "Normal Closure"}},
                  json::object{{"code", 1011}, {"count", 3}, {"meaning", "Internal Error"}}});
  const auto c = compare_runs(base, next, noise_band{});
  const auto& timeout = at(c, "error:timeout", "count");
  EXPECT_DOUBLE_EQ(*timeout.base, 0);
  EXPECT_EQ(timeout.verdict, mark::regression);
  EXPECT_EQ(at(c, "close_code:1011", "count").verdict, mark::regression);
  EXPECT_EQ(at(c, "close_code:1000", "count").verdict, mark::changed);  // normal closures: no direction
}

TEST(CompareRuns, ErrorCountersGrowingAreRegressions) {
  auto base = run_doc(1.5, 1000, 0, true), next = run_doc(1.5, 1000, 0, true);
  base["metrics"].as_object()["ws_errors"] = json::object{{"type", "counter"}, {"unit", ""}, {"count", 0}, {"rate", 0}};
  next["metrics"].as_object()["ws_errors"] = json::object{{"type", "counter"}, {"unit", ""}, {"count", 4}, {"rate", 0.4}};
  const auto c = compare_runs(base, next, noise_band{});
  EXPECT_EQ(at(c, "ws_errors", "count").verdict, mark::regression);
}

TEST(CompareRuns, MalformedMembersReadAsAbsentInsteadOfThrowing) {
  json::object base{{"metrics", json::object{{"x", 5}, {"t", json::object{{"type", "trend"}, {"count", "many"}}}}},
                    {"checks", "no"}, {"thresholds", json::array{1, 2}}};
  const auto c = compare_runs(base, json::object{}, noise_band{});
  EXPECT_EQ(find_row(c, "t", "p99"), nullptr);
}

}  // namespace
}  // namespace drover::reporting::compare
