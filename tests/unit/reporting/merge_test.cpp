// drover report merge (reporting/merge.hpp): documents written by two recorders, read back from
// their summary.json and merged, must equal the document of the two recorders merged in memory
// (counts exactly, percentiles to the histogram's precision); thresholds are judged again on the
// merged data; bad inputs are usage errors naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "harness/common/error.hpp"
#include "harness/metrics/thresholds.hpp"
#include "harness/reporting/merge.hpp"
#include "harness/reporting/result_document.hpp"
#include "harness/reporting/writers.hpp"
#include "fixtures.hpp"

namespace drover::reporting {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
constexpr const char* version = "9.9.9-test";

fs::path scratch_root() { return fs::temp_directory_path() / ("drover-merge-unit-" + std::to_string(::getpid())); }

// This process's scratch folders go when it exits (ctest runs each test in a process of its own).
struct scratch_cleanup {
  ~scratch_cleanup() {
    std::error_code ec;
    fs::remove_all(scratch_root(), ec);
  }
} scratch_cleanup_at_exit;

fs::path scratch(const std::string& name) {
  auto dir = scratch_root() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A shard's worth of load: latencies from a seeded log-normal, counters, a rate, a gauge,
// checks (some failing), errors and close codes.
metrics::recorder shard_recorder(unsigned seed, int samples) {
  metrics::recorder r;
  std::mt19937 rng(seed);
  std::lognormal_distribution<double> latency(2.0, 0.8);
  for (int i = 0; i < samples; ++i) {
    r.add_trend("echo_rtt", latency(rng));
    r.add_counter("ws_msgs_sent");
    r.add_check("ack received", i % 97 != 0, "timeout");
    r.add_rate("ok_rate", i % 3 != 0);
  }
  r.trend("data_size", metrics::value_unit::bytes).add(1000 + seed);
  r.counter("data_sent", metrics::value_unit::bytes).total += 12345 * seed;
  r.set_gauge("vus", 5 + seed);
  r.add_error("connection_refused", "refused " + std::to_string(seed));
  r.add_close_code(1000);
  r.add_close_code(1006);
  return r;
}

std::vector<metrics::threshold_spec> specs() {
  return {metrics::parse_threshold("echo_rtt.p99", "< 60"), metrics::parse_threshold("checks", "rate > 0.95"),
          metrics::parse_threshold("ws_msgs_sent", "count >= 100")};
}

json::object document(const metrics::recorder& r, const std::string& scenario, double elapsed_s) {
  run_info info;
  info.tool_version = version;
  info.command = "run";
  info.scenario = scenario;
  info.vus = 4;
  info.workers = 1;
  info.elapsed_seconds = elapsed_s;
  info.started_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  info.ended_at = info.started_at + std::chrono::milliseconds(static_cast<long long>(elapsed_s * 1000));
  std::vector<metrics::threshold_result> results;
  for (const auto& s : specs()) results.push_back(metrics::evaluate_threshold(s, r, elapsed_s));
  return build_result_document(info, r, results, {0, "passed", ""}, nullptr, nullptr);
}

// Written the way `drover run --out` writes it.
fs::path written(const json::object& doc, const std::string& name) {
  auto dir = scratch(name);
  write_outputs(doc, dir);
  return dir;
}

double field(const json::object& doc, const std::string& metric, const std::string& name) {
  return doc.at("metrics").at(metric).at(name).to_number<double>();
}

TEST(ReportMerge, ReadBackAndMergedEqualsMergedInMemory) {
  auto a = shard_recorder(1, 5000), b = shard_recorder(2, 3000);
  auto dir_a = written(document(a, "s.lua", 10.0), "a");
  auto dir_b = written(document(b, "s.lua", 10.5), "b");
  auto merged_doc = merge_shards({read_shard_summary(dir_a, version), read_shard_summary(dir_b, version)}, version);

  metrics::recorder in_memory;
  in_memory.merge(a);
  in_memory.merge(b);
  auto expected = document(in_memory, "s.lua", 10.5);

  // Counts exactly.
  EXPECT_EQ(field(merged_doc, "echo_rtt", "count"), 8000);
  EXPECT_EQ(field(merged_doc, "ws_msgs_sent", "count"), 8000);
  EXPECT_EQ(field(merged_doc, "data_sent", "count"), 12345 * 3);
  EXPECT_EQ(field(merged_doc, "ok_rate", "passes"), field(expected, "ok_rate", "passes"));
  EXPECT_EQ(field(merged_doc, "ok_rate", "fails"), field(expected, "ok_rate", "fails"));
  // The histogram itself: the same buckets with the same counts.
  EXPECT_EQ(merged_doc.at("metrics").at("echo_rtt").at("hdr"), expected.at("metrics").at("echo_rtt").at("hdr"));
  // Percentiles: the same buckets give the same values; min and max are exact.
  for (const char* p : {"min", "max", "p50", "p90", "p95", "p99", "p99.9"}) {
    const double want = field(expected, "echo_rtt", p), got = field(merged_doc, "echo_rtt", p);
    EXPECT_NEAR(got, want, want * 0.001 + 0.001) << p;  // 3 significant digits
  }
  EXPECT_EQ(field(merged_doc, "echo_rtt", "min"), field(expected, "echo_rtt", "min"));
  EXPECT_EQ(field(merged_doc, "echo_rtt", "max"), field(expected, "echo_rtt", "max"));
  EXPECT_NEAR(field(merged_doc, "echo_rtt", "mean"), field(expected, "echo_rtt", "mean"), 0.002);
  // Gauges: the largest shard's.
  EXPECT_EQ(field(merged_doc, "vus", "value"), 7);
  // Checks, errors, close codes add.
  const auto& check = merged_doc.at("checks").as_array().at(0).as_object();
  EXPECT_EQ(check.at("passes").to_number<double>(), expected.at("checks").at(0).at("passes").to_number<double>());
  EXPECT_EQ(check.at("fails").to_number<double>(), expected.at("checks").at(0).at("fails").to_number<double>());
  EXPECT_EQ(merged_doc.at("errors").at(0).at("count").to_number<int>(), 2);
  EXPECT_EQ(merged_doc.at("errors").at(0).at("samples").as_array().size(), 2u);
  for (const auto& c : merged_doc.at("close_codes").as_array()) EXPECT_EQ(c.at("count").to_number<int>(), 2) << c;
  // Thresholds judged on the merged data give what the in-memory merge gives.
  ASSERT_EQ(merged_doc.at("thresholds").as_array().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(merged_doc.at("thresholds").at(i).at("ok"), expected.at("thresholds").at(i).at("ok")) << i;
    EXPECT_NEAR(merged_doc.at("thresholds").at(i).at("actual").to_number<double>(),
                expected.at("thresholds").at(i).at("actual").to_number<double>(), 0.1)
        << i;
  }
  EXPECT_EQ(merged_doc.at("run").at("vus").to_number<int>(), 8);
  EXPECT_EQ(merged_doc.at("run").at("elapsed_ms").to_number<double>(), 10500);
  // The merged document is a result document like any other.
  EXPECT_EQ(testing::schema_violations(merged_doc), "");
}

// The shard with few slow samples breaches p99 alone; averaging the shards' p99 would breach
// too; the merged histogram does not (50 slow of 10,050 is under 1 %).
TEST(ReportMerge, ThresholdsAreJudgedOnMergedHistogramsNotAveragedPercentiles) {
  metrics::recorder slow, fast;
  for (int i = 0; i < 50; ++i) slow.add_trend("echo_rtt", 10);
  for (int i = 0; i < 50; ++i) slow.add_trend("echo_rtt", 500);
  for (int i = 0; i < 9950; ++i) fast.add_trend("echo_rtt", 10);
  auto doc_slow = document(slow, "s.lua", 1), doc_fast = document(fast, "s.lua", 1);
  EXPECT_FALSE(doc_slow.at("thresholds").at(0).at("ok").as_bool());
  EXPECT_TRUE(doc_fast.at("thresholds").at(0).at("ok").as_bool());
  auto merged = merge_shards({read_shard_summary(written(doc_slow, "slow"), version),
                              read_shard_summary(written(doc_fast, "fast"), version)},
                             version);
  EXPECT_NEAR(field(merged, "echo_rtt", "p99"), 10, 0.01);
  EXPECT_TRUE(merged.at("thresholds").at(0).at("ok").as_bool()) << merged.at("thresholds");
  // The other two thresholds fail (no checks, too few messages): the outcome says so.
  EXPECT_EQ(merged.at("outcome").at("status").as_string(), "thresholds_breached");
  EXPECT_EQ(merged.at("outcome").at("exit_code").to_number<int>(), 1);
}

template <class E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no exception";
}

TEST(ReportMerge, BadInputsAreUsageErrorsNamingTheFile) {
  auto good = written(document(shard_recorder(1, 10), "s.lua", 1), "good");

  auto missing = scratch("missing") / "nope";
  EXPECT_NE(error_of<file_error>([&] { read_shard_summary(missing, version); }).find(missing.string()), std::string::npos);

  auto empty = scratch("empty");
  auto what = error_of<file_error>([&] { read_shard_summary(empty, version); });
  EXPECT_NE(what.find((empty / "summary.json").string()), std::string::npos) << what;

  what = error_of<usage_error>([&] { read_shard_summary(good, "0.0.1"); });
  EXPECT_NE(what.find("written by drover 9.9.9-test"), std::string::npos) << what;
  EXPECT_NE(what.find((good / "summary.json").string()), std::string::npos) << what;

  auto doc = document(shard_recorder(1, 10), "s.lua", 1);
  doc["metrics"].as_object()["echo_rtt"].as_object().erase("hdr");
  auto no_hdr = written(doc, "nohdr");
  what = error_of<usage_error>([&] { read_shard_summary(no_hdr, version); });
  EXPECT_NE(what.find("no full histogram"), std::string::npos) << what;
  EXPECT_NE(what.find((no_hdr / "summary.json").string()), std::string::npos) << what;

  auto not_json = scratch("notjson");
  std::ofstream(not_json / "summary.json") << "{ not json";
  what = error_of<usage_error>([&] { read_shard_summary(not_json, version); });
  EXPECT_NE(what.find("not a JSON object"), std::string::npos) << what;

  auto other = written(document(shard_recorder(2, 10), "other.lua", 1), "other");
  what = error_of<usage_error>(
      [&] { merge_shards({read_shard_summary(good, version), read_shard_summary(other, version)}, version); });
  EXPECT_NE(what.find("scenario 'other.lua' differs"), std::string::npos) << what;
  EXPECT_NE(what.find((other / "summary.json").string()), std::string::npos) << what;
}

// Validation statistics add per (direction, type); cases concatenate.
TEST(ReportMerge, ValidationCountsAddAndCasesConcatenate) {
  auto with = [](int sent, int invalid, const std::string& case_id, const std::string& verdict, const std::string& name) {
    metrics::recorder clean;  // no failing check, no threshold: only the cases decide the outcome
    clean.add_check("ok", true);
    auto doc = document(clean, "s.lua", 1);
    doc["thresholds"] = json::array{};
    doc["validation"] = json::object{
        {"protocol", "widb"},
        {"messages", json::array{json::object{{"direction", "sent"}, {"type", "logDump"}, {"count", sent}, {"invalid", invalid}}}},
        {"violations", json::array{}}};
    doc["cases"] = json::array{json::object{{"id", case_id}, {"verdict", verdict}}};
    return read_shard_summary(written(doc, name), version);
  };
  auto merged = merge_shards({with(10, 1, "1.1", "PASSED", "v1"), with(32, 2, "1.2", "PASSED", "v2")}, version);
  const auto& m = merged.at("validation").at("messages").at(0);
  EXPECT_EQ(m.at("count").to_number<int>(), 42);
  EXPECT_EQ(m.at("invalid").to_number<int>(), 3);
  ASSERT_EQ(merged.at("cases").as_array().size(), 2u);
  EXPECT_EQ(merged.at("cases").at(1).at("id").as_string(), "1.2");

  EXPECT_EQ(merged.at("outcome").at("status").as_string(), "passed");

  merged = merge_shards({with(1, 0, "1.1", "PASSED", "w1"), with(1, 0, "1.2", "FAILED", "w2")}, version);
  EXPECT_EQ(merged.at("outcome").at("status").as_string(), "cases_failed");
  EXPECT_EQ(merged.at("outcome").at("exit_code").to_number<int>(), 1);
}

// Shards of `drover run --shard i/N` carry run.shard: the whole test's vus, each index once.
TEST(ReportMerge, ShardsOfOneRunNeedEveryIndexOnce) {
  auto shard = [](int index, int count, const std::string& name) {
    auto doc = document(shard_recorder(static_cast<unsigned>(index), 10), "s.lua", 1);
    doc["run"].as_object()["vus"] = 12;
    doc["run"].as_object()["shard"] = json::object{{"index", index}, {"count", count}};
    return read_shard_summary(written(doc, name), version);
  };
  auto merged = merge_shards({shard(1, 2, "s1"), shard(2, 2, "s2")}, version);
  EXPECT_EQ(merged.at("run").at("vus").to_number<int>(), 12);  // not 24
  EXPECT_FALSE(merged.at("run").as_object().contains("shard"));
  EXPECT_EQ(field(merged, "ws_msgs_sent", "count"), 20);

  auto what = error_of<usage_error>([&] { merge_shards({shard(1, 3, "t1"), shard(3, 3, "t3")}, version); });
  EXPECT_NE(what.find("shard(s) 2/3 missing"), std::string::npos) << what;
  what = error_of<usage_error>([&] { merge_shards({shard(1, 2, "u1"), shard(1, 2, "u1b"), shard(2, 2, "u2")}, version); });
  EXPECT_NE(what.find("shard 1/2 is also"), std::string::npos) << what;
  what = error_of<usage_error>([&] { merge_shards({shard(1, 2, "v1"), shard(2, 3, "v2")}, version); });
  EXPECT_NE(what.find("is one of 2"), std::string::npos) << what;
  auto plain = read_shard_summary(written(document(shard_recorder(5, 10), "s.lua", 1), "plain"), version);
  what = error_of<usage_error>([&] { merge_shards({shard(1, 2, "w1"), plain}, version); });
  EXPECT_NE(what.find("mixed shard layouts"), std::string::npos) << what;
}

}  // namespace
}  // namespace drover::reporting
