#include "harness/export/prometheus_series.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

namespace drover::exporting {
namespace {

constexpr double run_start_s = 1764340000.0;
constexpr std::int64_t run_start_ms = 1764340000000;

metrics::interval_point interval(int index) {
  metrics::interval_point p;
  p.start_ms = index * 1000;
  p.end_ms = (index + 1) * 1000;
  p.unix_start_s = run_start_s + index;
  return p;
}

std::string label(const prometheus_series& s, std::string_view name) {
  for (const auto& [n, v] : s.labels)
    if (n == name) return v;
  return "";
}

// The one series with this __name__ whose labels include `with`.
std::optional<prometheus_series> find(const std::vector<prometheus_series>& all, std::string_view name,
                                      const prometheus_labels& with = {}) {
  std::optional<prometheus_series> found;
  for (const auto& s : all) {
    if (label(s, "__name__") != name) continue;
    bool match = std::all_of(with.begin(), with.end(), [&](const auto& l) { return label(s, l.first) == l.second; });
    if (!match) continue;
    EXPECT_FALSE(found) << "two series match " << name;
    found = s;
  }
  return found;
}

TEST(PrometheusSeries, CountersAreRunningTotalsWithAZeroSampleWhenFirstSeen) {
  prometheus_series_builder builder({});
  auto first = interval(0);
  first.msgs_sent = 10;
  auto s1 = find(builder.add(first), "drover_ws_msgs_sent_total");
  ASSERT_TRUE(s1);
  ASSERT_EQ(s1->samples.size(), 2u);
  EXPECT_EQ(s1->samples[0].value, 0);
  EXPECT_EQ(s1->samples[0].timestamp_ms, run_start_ms);
  EXPECT_EQ(s1->samples[1].value, 10);
  EXPECT_EQ(s1->samples[1].timestamp_ms, run_start_ms + 1000);

  auto second = interval(1);
  second.msgs_sent = 5;
  auto s2 = find(builder.add(second), "drover_ws_msgs_sent_total");
  ASSERT_TRUE(s2);
  ASSERT_EQ(s2->samples.size(), 1u);
  EXPECT_EQ(s2->samples[0].value, 15);
  EXPECT_EQ(s2->samples[0].timestamp_ms, run_start_ms + 2000);
}

TEST(PrometheusSeries, EveryCountOfThePointHasItsCounter) {
  prometheus_series_builder builder({});
  auto p = interval(0);
  p.sessions_opened = 1;
  p.sessions_closed = 2;
  p.msgs_sent = 3;
  p.msgs_received = 4;
  p.bytes_sent = 5;
  p.bytes_received = 6;
  p.iterations = 7;
  p.dropped_iterations = 8;
  p.checks_passed = 9;
  p.checks_failed = 10;
  p.active_clients = 11;
  auto all = builder.add(p);
  auto last = [&](std::string_view name, const prometheus_labels& with = {}) {
    auto s = find(all, name, with);
    return s ? s->samples.back().value : -1.0;
  };
  EXPECT_EQ(last("drover_ws_sessions_total"), 1);
  EXPECT_EQ(last("drover_ws_sessions_closed_total"), 2);
  EXPECT_EQ(last("drover_ws_msgs_sent_total"), 3);
  EXPECT_EQ(last("drover_ws_msgs_received_total"), 4);
  EXPECT_EQ(last("drover_data_sent_bytes_total"), 5);
  EXPECT_EQ(last("drover_data_received_bytes_total"), 6);
  EXPECT_EQ(last("drover_iterations_total"), 7);
  EXPECT_EQ(last("drover_dropped_iterations_total"), 8);
  EXPECT_EQ(last("drover_checks_total", {{"result", "pass"}}), 9);
  EXPECT_EQ(last("drover_checks_total", {{"result", "fail"}}), 10);
  EXPECT_EQ(last("drover_vus"), 11);
}

TEST(PrometheusSeries, AnErrorKindFirstSeenLaterStartsAtZeroAndStaysWhenQuiet) {
  prometheus_series_builder builder({});
  EXPECT_FALSE(find(builder.add(interval(0)), "drover_errors_total"));

  auto p = interval(1);
  p.errors_by_kind["connection_refused"] = 2;
  p.close_codes[1006] = 1;
  auto all = builder.add(p);
  auto refused = find(all, "drover_errors_total", {{"kind", "connection_refused"}});
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->samples.size(), 2u);
  EXPECT_EQ(refused->samples[0].value, 0);
  EXPECT_EQ(refused->samples[0].timestamp_ms, run_start_ms + 1000);
  EXPECT_EQ(refused->samples[1].value, 2);
  auto dropped = find(all, "drover_ws_close_codes_total", {{"code", "1006"}});
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->samples.back().value, 1);

  auto quiet = find(builder.add(interval(2)), "drover_errors_total", {{"kind", "connection_refused"}});
  ASSERT_TRUE(quiet);
  ASSERT_EQ(quiet->samples.size(), 1u);
  EXPECT_EQ(quiet->samples[0].value, 2);
  EXPECT_EQ(quiet->samples[0].timestamp_ms, run_start_ms + 3000);
}

TEST(PrometheusSeries, LabelsAreSortedUniqueAndCarryTheConstantLabels) {
  prometheus_series_builder builder({{"testid", "nightly-42"}, {"kind", "constant"}, {"Zone", "eu"}});
  auto p = interval(0);
  p.errors_by_kind["timeout"] = 1;
  for (const auto& s : builder.add(p)) {
    EXPECT_TRUE(std::is_sorted(s.labels.begin(), s.labels.end())) << label(s, "__name__");
    auto same_name = std::adjacent_find(s.labels.begin(), s.labels.end(),
                                        [](const auto& a, const auto& b) { return a.first == b.first; });
    EXPECT_EQ(same_name, s.labels.end()) << label(s, "__name__");
    EXPECT_EQ(label(s, "testid"), "nightly-42");
    EXPECT_EQ(label(s, "Zone"), "eu");
    EXPECT_FALSE(label(s, "__name__").empty());
    if (label(s, "__name__") == "drover_errors_total") EXPECT_EQ(label(s, "kind"), "timeout");  // the series' own wins
    else EXPECT_EQ(label(s, "kind"), "constant");
  }
}

TEST(PrometheusSeries, TrendStatsAreIntervalGaugesInSecondsForTimeTrends) {
  prometheus_series_builder builder({});
  auto p = interval(0);
  auto& connecting = p.trends["ws_connecting"];
  connecting.unit = metrics::value_unit::milliseconds;
  for (int ms = 1; ms <= 100; ++ms) connecting.values.record(ms * 1000);  // thousandths of a ms
  auto& size = p.trends["message_size"];
  size.unit = metrics::value_unit::bytes;
  size.values.record(512 * 1000);
  auto all = builder.add(p);

  auto stat = [&](std::string_view name) {
    auto s = find(all, name);
    EXPECT_TRUE(s) << name;
    return s ? s->samples.back().value : -1.0;
  };
  EXPECT_NEAR(stat("drover_ws_connecting_p50"), 0.050, 0.0001);
  EXPECT_NEAR(stat("drover_ws_connecting_p95"), 0.095, 0.0001);
  EXPECT_NEAR(stat("drover_ws_connecting_p99"), 0.099, 0.0001);
  EXPECT_NEAR(stat("drover_ws_connecting_max"), 0.100, 0.0001);
  EXPECT_EQ(stat("drover_ws_connecting_count"), 100);
  EXPECT_NEAR(stat("drover_message_size_max"), 512, 0.5);  // bytes stay bytes

  // An interval without values for a trend: its gauges are not sent, its count stays.
  auto later = builder.add(interval(1));
  EXPECT_FALSE(find(later, "drover_ws_connecting_p99"));
  auto count = find(later, "drover_ws_connecting_count");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->samples.back().value, 100);
}

TEST(PrometheusSeries, ATaggedSubMetricBecomesLabels) {
  prometheus_series_builder builder(prometheus_labels{{"testid", "t1"}});
  auto p = interval(0);
  p.trends["iteration_duration"].values.record(2000);
  p.trends["iteration_duration{protocol:widb,scenario:phones}"].values.record(4000);
  auto all = builder.add(p);
  auto phones = find(all, "drover_iteration_duration_max", {{"scenario", "phones"}});
  ASSERT_TRUE(phones);
  EXPECT_EQ(label(*phones, "protocol"), "widb");
  EXPECT_EQ(label(*phones, "testid"), "t1");
  EXPECT_NEAR(phones->samples[0].value, 0.004, 1e-9);
  auto phone_count = find(all, "drover_iteration_duration_count", {{"scenario", "phones"}});
  ASSERT_TRUE(phone_count);
  EXPECT_EQ(phone_count->samples.back().value, 1);
  // The untagged trend is a series of its own, without a scenario label.
  int untagged = 0;
  for (const auto& s : all)
    if (label(s, "__name__") == "drover_iteration_duration_max" && label(s, "scenario").empty()) ++untagged;
  EXPECT_EQ(untagged, 1);
}

TEST(PrometheusSeries, AShortLastIntervalIsStampedAtItsOwnEnd) {
  prometheus_series_builder builder({});
  auto p = interval(3);
  p.end_ms = p.start_ms + 250;
  auto vus = find(builder.add(p), "drover_vus");
  ASSERT_TRUE(vus);
  EXPECT_EQ(vus->samples.back().timestamp_ms, run_start_ms + 3000 + 250);
}

}  // namespace
}  // namespace drover::exporting
