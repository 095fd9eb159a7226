// summary.json's "timeseries" (reporting/timeseries.hpp): the agreed shape, values in the trend's
// unit, and what one interval costs per trend (kept numbers and JSON text), which README states.
#include "harness/reporting/timeseries.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace drover::reporting {
namespace {

metrics::interval_point sample_point(std::int64_t start_ms, int trends) {
  metrics::interval_point p;
  p.start_ms = start_ms;
  p.end_ms = start_ms + 1000;
  p.unix_start_s = 1764340000.123 + static_cast<double>(start_ms) / 1000.0;
  p.active_clients = 1000;
  p.sessions_opened = 120;
  p.msgs_sent = 7700;
  p.msgs_received = 7690;
  p.bytes_sent = 770000;
  p.bytes_received = 769000;
  p.iterations = 3850;
  p.checks_passed = 3850;
  p.errors_by_kind["connection_refused"] = 2;
  p.close_codes[1000] = 118;
  for (int t = 0; t < trends; ++t) {
    auto& tv = p.trends["trend_" + std::to_string(t)];
    for (int i = 0; i < 5000; ++i) tv.values.record(1000 + (i * 7919) % 250'000);  // 1 ms .. 251 ms
  }
  return p;
}

TEST(TimeseriesTable, WritesTheAgreedShapeInTheTrendsUnit) {
  timeseries_table table(std::chrono::milliseconds(1000));
  auto p = sample_point(0, 0);
  p.trends["ws_connecting"].values.record(1200);  // thousandths of a ms
  p.trends["ws_connecting"].values.record(4100);
  table.on_interval(p);
  auto last = sample_point(1000, 0);
  last.end_ms = 1450;  // the run's end: a short last interval
  table.on_interval(last);
  auto doc = table.to_json();
  EXPECT_EQ(doc.at("interval_ms").as_int64(), 1000);
  EXPECT_NEAR(doc.at("started_unix_s").as_double(), 1764340000.123, 1e-3);
  const auto& points = doc.at("points").as_array();
  ASSERT_EQ(points.size(), 2u);
  const auto& first = points[0].as_object();
  EXPECT_EQ(first.at("t_ms").as_int64(), 0);
  EXPECT_EQ(first.at("end_ms").as_int64(), 1000);
  EXPECT_EQ(first.at("msgs_sent").as_int64(), 7700);
  EXPECT_EQ(first.at("errors").at("connection_refused").as_int64(), 2);
  EXPECT_EQ(first.at("close_codes").at("1000").as_int64(), 118);
  const auto& t = first.at("trends").at("ws_connecting").as_object();
  EXPECT_EQ(t.at("count").as_int64(), 2);
  EXPECT_DOUBLE_EQ(t.at("max").as_double(), 4.1);
  EXPECT_DOUBLE_EQ(t.at("p50").as_double(), 1.2);
  EXPECT_EQ(points[1].at("end_ms").as_int64(), 1450);
  EXPECT_TRUE(points[1].at("trends").as_object().empty());
}

// What README "Results over time" states: the bytes one interval costs per trend, kept in memory
// and written to summary.json. Bounds, not exact figures (names and values vary).
TEST(TimeseriesTable, OneIntervalCostsAFewDozenBytesPerTrend) {
  constexpr int intervals = 100, trends = 10;
  timeseries_table with(std::chrono::milliseconds(1000)), without(std::chrono::milliseconds(1000));
  for (int i = 0; i < intervals; ++i) {
    with.on_interval(sample_point(i * 1000, trends));
    without.on_interval(sample_point(i * 1000, 0));
  }
  const auto json_with = boost::json::serialize(with.to_json()).size();
  const auto json_without = boost::json::serialize(without.to_json()).size();
  const double json_per_trend = static_cast<double>(json_with - json_without) / intervals / trends;
  const double json_base = static_cast<double>(json_without) / intervals;
  const double memory_per_trend = sizeof(timeseries_table::trend_row);
  const double memory_base = sizeof(timeseries_table::row) + 2 * sizeof(std::pair<std::uint32_t, std::uint64_t>);
  std::printf("timeseries: per interval %.0f B JSON + %.0f B per trend; in memory %.0f B + %.0f B per trend\n",
              json_base, json_per_trend, memory_base, memory_per_trend);
  EXPECT_LT(json_per_trend, 120);
  EXPECT_LT(json_base, 400);
  EXPECT_LE(memory_per_trend, 48);
  EXPECT_LE(memory_base, 240);
}

}  // namespace
}  // namespace drover::reporting
