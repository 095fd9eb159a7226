// `drover report merge` of the shards' "timeseries" (reporting/merge.hpp merge_timeseries):
// aligned on started_unix_s + t_ms, counts add exactly, max is the max of maxes, and the
// percentiles are dropped (never averaged).
#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/reporting/merge.hpp"

namespace drover::reporting {
namespace {

shard_summary shard(const char* name, double started, std::int64_t interval, boost::json::array points) {
  shard_summary s;
  s.file = name;
  s.doc["timeseries"] = boost::json::object{{"interval_ms", interval}, {"started_unix_s", started}, {"points", std::move(points)}};
  return s;
}

boost::json::object point(std::int64_t t, std::int64_t end, std::int64_t sent, double rtt_max, std::int64_t rtt_count) {
  boost::json::object p{{"t_ms", t}, {"end_ms", end}, {"active_clients", 5}, {"sessions_opened", 1},
                        {"sessions_closed", 0}, {"msgs_sent", sent}, {"msgs_received", sent}, {"bytes_sent", 10 * sent},
                        {"bytes_received", 10 * sent}, {"iterations", 2}, {"dropped_iterations", 0},
                        {"checks_passed", 2}, {"checks_failed", 0}};
  p["errors"] = boost::json::object{{"timeout", 1}};
  p["close_codes"] = boost::json::object{{"1000", 1}};
  p["trends"] = boost::json::object{
      {"echo_rtt", {{"count", rtt_count}, {"p50", 1.0}, {"p95", 2.0}, {"p99", 3.0}, {"max", rtt_max}}}};
  return p;
}

TEST(MergeTimeseries, ShardsAddByIntervalAlignedOnTheirStartsAndDropPercentiles) {
  // Shard b started 40 ms after a: its intervals join a's nearest ones.
  auto a = shard("a/summary.json", 1000.000, 1000, {point(0, 1000, 10, 4.0, 3), point(1000, 1500, 5, 9.0, 1)});
  auto b = shard("b/summary.json", 1000.040, 1000, {point(0, 1000, 20, 7.5, 2), point(1000, 1300, 1, 2.0, 1)});
  shard_summary none;  // a shard without a time series is left out
  none.file = "c/summary.json";
  auto merged = merge_timeseries({a, b, none});
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->at("interval_ms").as_int64(), 1000);
  EXPECT_DOUBLE_EQ(merged->at("started_unix_s").as_double(), 1000.0);
  const auto& points = merged->at("points").as_array();
  ASSERT_EQ(points.size(), 2u);
  const auto& first = points[0].as_object();
  EXPECT_EQ(first.at("t_ms").as_int64(), 0);
  EXPECT_EQ(first.at("end_ms").as_int64(), 1000);
  EXPECT_EQ(first.at("msgs_sent").as_int64(), 30);
  EXPECT_EQ(first.at("active_clients").as_int64(), 10);
  EXPECT_EQ(first.at("errors").at("timeout").as_int64(), 2);
  EXPECT_EQ(first.at("close_codes").at("1000").as_int64(), 2);
  const auto& rtt = first.at("trends").at("echo_rtt").as_object();
  EXPECT_EQ(rtt.at("count").as_int64(), 5);
  EXPECT_DOUBLE_EQ(rtt.at("max").as_double(), 7.5);
  EXPECT_FALSE(rtt.contains("p50"));
  EXPECT_FALSE(rtt.contains("p99"));
  EXPECT_EQ(points[1].at("end_ms").as_int64(), 1500);  // the longer of the two short last intervals
  EXPECT_EQ(points[1].at("msgs_sent").as_int64(), 6);
}

TEST(MergeTimeseries, NoShardWithATimeSeriesGivesNone) {
  shard_summary s;
  s.file = "a/summary.json";
  EXPECT_FALSE(merge_timeseries({s}));
}

TEST(MergeTimeseries, DifferentIntervalsAreAUsageErrorNamingTheFile) {
  auto a = shard("a/summary.json", 1000, 1000, {});
  auto b = shard("b/summary.json", 1000, 500, {});
  try {
    merge_timeseries({a, b});
    FAIL() << "no error";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("b/summary.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--interval"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace drover::reporting
