// `drover run --hlog FILE` read back by an independent HdrHistogram implementation: the npm
// package hdr-histogram-js (tests/hlog/, pinned by its lockfile, installed by the hlog_install
// fixture) decodes the log with its HistogramLogReader (tests/hlog/read_hlog.js). Checked: the
// writer's synthetic intervals decode to the same counts and percentiles; a real run's counts
// per trend equal summary.json's; a slow-ack that starts mid-run (echo fake --fault-after)
// shows in the intervals at the right time; a bad path fails before the run.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "harness/reporting/hlog_writer.hpp"
#include "harness/common/error.hpp"
#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string drover = DROVER_BINARY;
const std::string root = DROVER_SOURCE_ROOT;

// What hdr-histogram-js decoded from the log at `path` (read_hlog.js's JSON).
boost::json::object decode_with_js(const std::string& path) {
  process_result r = run_process({"/usr/bin/env", "node", root + "/tests/hlog/read_hlog.js", path}, std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return {};
  return boost::json::parse(r.out).as_object();
}

double num(const boost::json::value& v) { return v.to_number<double>(); }

// Two decodings of one bucket agree to HdrHistogram's 3-digit precision (a bucket is at most
// 1/1024 of its values wide); +1 for the integer rounding of small values.
void expect_within_precision(double decoded, double expected, const std::string& what) {
  EXPECT_LE(std::fabs(decoded - expected), expected / 1000.0 + 1.0) << what << ": " << decoded << " vs " << expected;
}

metrics::interval_point point(std::int64_t start_ms, std::int64_t end_ms) {
  metrics::interval_point p;
  p.start_ms = start_ms;
  p.end_ms = end_ms;
  p.unix_start_s = 1'764'340'000.25 + static_cast<double>(start_ms) / 1000.0;
  return p;
}

TEST(HlogWriter, SyntheticIntervalsDecodeWithHdrHistogramJsToTheSameCountsAndPercentiles) {
  const std::string dir = temp_dir("drover-hlog-synthetic");
  const std::string path = dir + "/synthetic.hlog";
  const std::string mixed_name = "e2e{protocol:widb,scenario:a}";
  std::vector<metrics::interval_point> points = {point(0, 1000), point(1000, 2000), point(2000, 2400)};
  std::map<std::string, metrics::histogram> whole;  // what the decoder should see, merged
  auto add = [&](metrics::interval_point& p, const std::string& trend, std::int64_t value, std::uint64_t n) {
    p.trends[trend].values.record_n(value, n);
    whole[trend].record_n(value, n);
  };
  for (int i = 1; i <= 500; ++i) add(points[0], "ws_connecting", 100 * i, 1);
  add(points[0], mixed_name, 1'234'567, 3);
  add(points[1], "ws_connecting", 2'000'000, 7);
  add(points[1], "ws_connecting", 5'000'000'000LL, 1);  // 83 min: far buckets, long zero runs
  add(points[1], mixed_name, 42, 1);
  add(points[2], "payload_size", 65'536'000, 2);        // a bytes trend: thousandths of bytes
  points[2].trends["payload_size"].unit = metrics::value_unit::bytes;
  {
    reporting::hlog_writer writer(path);
    for (const auto& p : points) writer.on_interval(p);
    writer.on_end();
  }
  const std::string text = read_file(path);
  EXPECT_NE(text.find("#[StartTime: 1764340000.250 "), std::string::npos) << text;
  EXPECT_NE(text.find("#[BaseTime: 1764340000.250 "), std::string::npos) << text;
  EXPECT_NE(text.find("\n\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"),
            std::string::npos);
  // Interval_Max is the exact max in the trend's unit: 5e9 us = 5,000,000 ms.
  EXPECT_NE(text.find("\nTag=ws_connecting,1.000,1.000,5000000.000,HISTF"), std::string::npos) << text;
  EXPECT_NE(text.find("\nTag=e2e{protocol:widb;scenario:a},0.000,1.000,1234.567,HISTF"), std::string::npos) << text;
  EXPECT_NE(text.find("\nTag=payload_size,2.000,0.400,65536.000,HISTF"), std::string::npos) << text;

  boost::json::object decoded = decode_with_js(path);
  ASSERT_TRUE(decoded.contains("tags"));
  const auto& tags = decoded.at("tags").as_object();
  ASSERT_EQ(tags.size(), 3u) << boost::json::serialize(decoded);
  EXPECT_DOUBLE_EQ(num(decoded.at("start_time_s")), 1764340000.25);
  for (const auto& [name, hist] : whole) {
    const std::string tag = reporting::hlog_tag(name);
    ASSERT_TRUE(tags.contains(tag)) << tag;
    const auto& t = tags.at(tag).as_object();
    EXPECT_EQ(num(t.at("count")), static_cast<double>(hist.count())) << tag;
    expect_within_precision(num(t.at("p50")), static_cast<double>(hist.value_at_percentile(50)), tag + " p50");
    expect_within_precision(num(t.at("p99")), static_cast<double>(hist.value_at_percentile(99)), tag + " p99");
    expect_within_precision(num(t.at("max")), static_cast<double>(hist.max()), tag + " max");
  }
  // Per interval: where and how long it is, and its own count.
  const auto& conn = tags.at("ws_connecting").at("intervals").as_array();
  ASSERT_EQ(conn.size(), 2u);
  EXPECT_NEAR(num(conn[0].at("start_s")), 0.0, 1e-6);
  EXPECT_NEAR(num(conn[0].at("length_s")), 1.0, 1e-6);
  EXPECT_EQ(num(conn[0].at("count")), 500);
  EXPECT_NEAR(num(conn[1].at("start_s")), 1.0, 1e-6);
  EXPECT_EQ(num(conn[1].at("count")), 8);
  const auto& size = tags.at("payload_size").at("intervals").as_array();
  ASSERT_EQ(size.size(), 1u);
  EXPECT_NEAR(num(size[0].at("start_s")), 2.0, 1e-6);
  EXPECT_NEAR(num(size[0].at("length_s")), 0.4, 1e-6);
  std::filesystem::remove_all(dir);
}

TEST(HlogWriter, ARunWithoutIntervalsIsAValidEmptyLog) {
  const std::string dir = temp_dir("drover-hlog-empty");
  const std::string path = dir + "/empty.hlog";
  {
    reporting::hlog_writer writer(path);
    writer.on_end();
  }
  EXPECT_NE(read_file(path).find("\"StartTimestamp\""), std::string::npos);
  boost::json::object decoded = decode_with_js(path);
  ASSERT_TRUE(decoded.contains("tags"));
  EXPECT_TRUE(decoded.at("tags").as_object().empty());
  std::filesystem::remove_all(dir);
}

TEST(HlogWriter, AFileThatCannotBeOpenedIsAFileErrorNamingIt) {
  try {
    reporting::hlog_writer writer("/nonexistent-drover-dir/run.hlog");
    FAIL() << "no error";
  } catch (const file_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-drover-dir/run.hlog"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--hlog"), std::string::npos) << e.what();
  }
}

std::vector<std::string> echo_run(const std::string& url, const std::string& out, const std::string& hlog,
                                  const std::string& duration) {
  return {drover, "run", root + "/scenarios/examples/echo.lua", "--target", url, "--out", out, "--quiet",
          "--vus", "5", "--duration", duration, "--ramp-up", "0s", "--hlog", hlog};
}

TEST(HlogRun, CountsPerTrendEqualSummaryJsonAndPercentilesAgree) {
  fake_process fake("echo");
  const std::string dir = temp_dir("drover-hlog-run");
  const std::string hlog = dir + "/run.hlog";
  process_result r = run_process(echo_run(fake.url("/"), dir + "/out", hlog, "3s"));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;  // 1: a threshold on a busy machine
  boost::json::object summary = boost::json::parse(read_file(dir + "/out/summary.json")).as_object();
  boost::json::object decoded = decode_with_js(hlog);
  ASSERT_TRUE(decoded.contains("tags"));
  const auto& tags = decoded.at("tags").as_object();
  int trends = 0;
  for (const auto& [name, metric] : summary.at("metrics").as_object()) {
    const auto& m = metric.as_object();
    if (!m.contains("type") || m.at("type") != "trend") continue;
    const double count = num(m.at("count"));
    if (count == 0) continue;
    ++trends;
    const std::string tag = reporting::hlog_tag(name);
    ASSERT_TRUE(tags.contains(tag)) << tag << " missing from the log";
    const auto& t = tags.at(tag).as_object();
    EXPECT_EQ(num(t.at("count")), count) << tag;
    // The summary is in ms, the log's histograms in us.
    expect_within_precision(num(t.at("p50")), num(m.at("p50")) * 1000.0, tag + " p50");
    expect_within_precision(num(t.at("p99")), num(m.at("p99")) * 1000.0, tag + " p99");
    expect_within_precision(num(t.at("max")), num(m.at("max")) * 1000.0, tag + " max");
  }
  EXPECT_GE(trends, 3);  // echo_rtt, ws_connecting, ws_session_duration at least
  EXPECT_GT(num(tags.at("echo_rtt").at("count")), 10);
  std::filesystem::remove_all(dir);
}

double unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The "slow-ack that starts mid-run shows the latency rise at the right time", in the
// hlog: the fault starts 3 s after the fake started, so the intervals that end before then
// hold only prompt answers and those that start well after hold only answers >= 500 ms.
TEST(HlogRun, SlowAckStartingMidRunShowsInTheIntervalsAtTheRightTime) {
  const double spawned = unix_now_s();
  fake_process fake("echo", {"--fault", "slow-ack", "--fault-after", "3s"});
  const double ready = unix_now_s();
  const std::string dir = temp_dir("drover-hlog-slow-ack");
  const std::string hlog = dir + "/run.hlog";
  process_result r = run_process(echo_run(fake.url("/"), dir + "/out", hlog, "7s"));
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;  // 1: echo_rtt.p99 < 250 breached
  boost::json::object decoded = decode_with_js(hlog);
  ASSERT_TRUE(decoded.contains("tags"));
  const double base = num(decoded.at("start_time_s"));  // the run's start, unix seconds
  // The fault starts (in seconds after the run's start) between these two.
  const double fault_earliest = spawned + 3.0 - base;
  const double fault_latest = ready + 3.0 - base;
  // At least the first interval [0 s, 1 s) must end before the fault (drover starts in well under 2 s).
  ASSERT_GE(fault_earliest, 1.0) << "the run started too late to see the time before the fault";
  int before = 0, after = 0;
  for (const auto& v : decoded.at("tags").at("echo_rtt").at("intervals").as_array()) {
    const double start = num(v.at("start_s"));
    const double end = start + num(v.at("length_s"));
    if (num(v.at("count")) == 0) continue;
    if (end <= fault_earliest) {
      ++before;
      EXPECT_LT(num(v.at("max")), 250'000) << "interval at " << start << " s, before the fault";
    } else if (start >= fault_latest + 0.5) {
      // An answer to a message the fake got before the fault may still arrive just after it.
      ++after;
      EXPECT_GE(num(v.at("min")), 499'000) << "interval at " << start << " s, after the fault";  // 500 ms, to the bucket
    }
  }
  EXPECT_GE(before, 1) << "fault window " << fault_earliest << ".." << fault_latest;
  EXPECT_GE(after, 2) << "fault window " << fault_earliest << ".." << fault_latest;
  std::filesystem::remove_all(dir);
}

TEST(HlogRun, AnUnwritablePathFailsBeforeTheRunNamingIt) {
  const std::string dir = temp_dir("drover-hlog-bad");
  process_result r = run_process(echo_run("ws://127.0.0.1:" + std::to_string(unused_port()) + "/", dir + "/out",
                                          dir + "/missing/run.hlog", "30s"),
                                 std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(dir + "/missing/run.hlog"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/summary.json"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace drover::test
