// Results over time, one worker's side: interval counts are deltas of the running totals,
// interval trends hold only the interval's values, and two workers' points merge exactly.
#include "harness/metrics/interval_tracker.hpp"

#include <gtest/gtest.h>

namespace drover::metrics {
namespace {

TEST(IntervalTracker, EachTakeHoldsOnlyWhatWasRecordedSinceThePreviousOne) {
  recorder r;
  r.track_intervals();
  interval_tracker t;
  r.add_counter(names::ws_msgs_sent, 3);
  r.add_counter(names::data_sent, 300);
  r.add_trend(names::ws_connecting, 10);
  r.add_trend(names::ws_connecting, 20);
  r.add_check("ok", true);
  r.add_check("ok", false, "why");
  r.add_error("connection_refused", "refused");
  r.add_close_code(1000);
  auto first = t.take(r);
  EXPECT_EQ(first.msgs_sent, 3u);
  EXPECT_EQ(first.bytes_sent, 300u);
  EXPECT_EQ(first.checks_passed, 1u);
  EXPECT_EQ(first.checks_failed, 1u);
  EXPECT_EQ(first.errors_by_kind.at("connection_refused"), 1u);
  EXPECT_EQ(first.close_codes.at(1000), 1u);
  ASSERT_TRUE(first.trends.contains(names::ws_connecting));
  EXPECT_EQ(first.trends.at(std::string(names::ws_connecting)).values.count(), 2u);
  EXPECT_EQ(first.trends.at(std::string(names::ws_connecting)).values.max(), 20'000);

  r.add_counter(names::ws_msgs_sent, 2);
  r.add_trend(names::ws_connecting, 5);
  r.add_close_code(1006);
  auto second = t.take(r);
  EXPECT_EQ(second.msgs_sent, 2u);
  EXPECT_EQ(second.bytes_sent, 0u);
  EXPECT_EQ(second.checks_passed + second.checks_failed, 0u);
  EXPECT_TRUE(second.errors_by_kind.empty());  // only kinds seen in the interval
  EXPECT_EQ(second.close_codes.size(), 1u);
  EXPECT_EQ(second.close_codes.at(1006), 1u);
  const auto& h = second.trends.at(std::string(names::ws_connecting)).values;
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.max(), 5'000);
  EXPECT_EQ(h.min(), 5'000);
  // The run's own histogram is untouched: it still holds every value.
  EXPECT_EQ(r.find(names::ws_connecting)->trend->values.count(), 3u);

  auto third = t.take(r);
  EXPECT_TRUE(third.trends.empty());  // no trend without values in the interval
  EXPECT_EQ(third.msgs_sent, 0u);
}

TEST(IntervalTracker, TrendsCreatedBeforeTrackingStartedAreTrackedToo) {
  recorder r;
  r.add_trend("early", 1);
  r.track_intervals();
  r.add_trend("early", 2);
  r.add_trend("late", 3);
  interval_tracker t;
  auto p = t.take(r);
  EXPECT_EQ(p.trends.at("early").values.count(), 1u);  // values before tracking are not an interval's
  EXPECT_EQ(p.trends.at("late").values.count(), 1u);
}

TEST(IntervalTracker, SessionsClosedAreTheSessionDurationsRecordedInTheInterval) {
  recorder r;
  r.track_intervals();
  r.add_counter(names::ws_sessions, 4);
  r.add_trend(names::ws_session_duration, 100);
  interval_tracker t;
  auto p = t.take(r);
  EXPECT_EQ(p.sessions_opened, 4u);
  EXPECT_EQ(p.sessions_closed, 1u);
}

TEST(MergeInterval, TwoWorkersMergeExactlyAsOneHistogramOfAllValues) {
  recorder a, b;
  a.track_intervals();
  b.track_intervals();
  histogram all;
  for (int i = 1; i <= 900; ++i) {
    a.add_trend(names::iteration_duration, i * 0.7);
    all.record(static_cast<std::int64_t>(i * 0.7 * 1000.0 + 0.5));
  }
  for (int i = 1; i <= 100; ++i) {
    b.add_trend(names::iteration_duration, 1000.0 + i);
    all.record(static_cast<std::int64_t>((1000.0 + i) * 1000.0 + 0.5));
  }
  a.add_counter(names::ws_msgs_received, 7);
  b.add_counter(names::ws_msgs_received, 5);
  a.add_error("timeout", "t");
  b.add_error("timeout", "t");
  b.add_error("lua_error", "x", false);
  interval_tracker ta, tb;
  interval_point merged;
  auto pa = ta.take(a);
  pa.active_clients = 3;
  auto pb = tb.take(b);
  pb.active_clients = 2;
  merge_interval(merged, std::move(pa));
  merge_interval(merged, std::move(pb));
  EXPECT_EQ(merged.active_clients, 5);
  EXPECT_EQ(merged.msgs_received, 12u);
  EXPECT_EQ(merged.errors_by_kind.at("timeout"), 2u);
  EXPECT_EQ(merged.errors_by_kind.at("lua_error"), 1u);
  const auto& h = merged.trends.at(std::string(names::iteration_duration)).values;
  ASSERT_EQ(h.count(), all.count());
  for (double p : {50.0, 90.0, 95.0, 99.0, 99.9, 100.0}) EXPECT_EQ(h.value_at_percentile(p), all.value_at_percentile(p)) << p;
  EXPECT_EQ(h.max(), all.max());
  EXPECT_EQ(h.min(), all.min());
}

TEST(MergeInterval, MixedFleetTrendsAlsoGoUnderTheScenariosTags) {
  recorder a, b;
  a.track_intervals();
  b.track_intervals();
  a.add_trend("rtt", 1);
  b.add_trend("rtt", 2);
  b.add_trend("rtt", 3);
  interval_tracker ta, tb;
  interval_point merged;
  merge_interval(merged, ta.take(a), "scenario:phones");
  merge_interval(merged, tb.take(b), "scenario:dashboards");
  EXPECT_EQ(merged.trends.at("rtt").values.count(), 3u);
  EXPECT_EQ(merged.trends.at("rtt{scenario:phones}").values.count(), 1u);
  EXPECT_EQ(merged.trends.at("rtt{scenario:dashboards}").values.count(), 2u);
  EXPECT_EQ(merged.trends.at("rtt{scenario:dashboards}").values.max(), 3'000);
}

}  // namespace
}  // namespace drover::metrics
