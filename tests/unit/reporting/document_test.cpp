#include <gtest/gtest.h>

#include <numeric>

#include "fixtures.hpp"
#include "harness/reporting/histogram_bars.hpp"
#include "harness/reporting/result_document.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;
using testing::sample_conform_document;
using testing::sample_run_document;
using testing::schema_violations;

const json::object& at(const json::object& o, std::string_view key) { return o.at(key).as_object(); }

TEST(ResultDocument, RunDocumentValidatesAgainstSchema) {
  EXPECT_EQ(schema_violations(sample_run_document()), "");
}

TEST(ResultDocument, ConformDocumentValidatesAgainstSchema) {
  EXPECT_EQ(schema_violations(sample_conform_document()), "");
}

TEST(ResultDocument, EmptyRunValidatesAgainstSchema) {
  run_info info;
  info.tool_version = "0.1.0";
  info.command = "run";
  const auto doc = build_result_document(info, metrics::recorder{}, {},
                                         {3, "unreachable", "ws://127.0.0.1:1/: connection refused"}, nullptr, nullptr);
  EXPECT_EQ(schema_violations(doc), "");
}

TEST(ResultDocument, SchemaCatchesMistakes) {
  auto doc = sample_run_document();
  doc.erase("outcome");
  EXPECT_NE(schema_violations(doc), "");
  doc = sample_run_document();
  doc["metrics"].as_object()["ws_connecting"].as_object()["p99"] = "fast";
  EXPECT_NE(schema_violations(doc), "");
  doc = sample_run_document();
  doc["outcome"].as_object()["status"] = "fine";
  EXPECT_NE(schema_violations(doc), "");
  doc = sample_conform_document();
  doc["cases"].as_array()[0].as_object()["verdict"] = "PASS";
  EXPECT_NE(schema_violations(doc), "");
}

TEST(ResultDocument, TrendValuesAreInTheMetricUnit) {
  metrics::recorder rec;
  rec.add_trend("ws_connecting", 1.5);
  rec.add_trend("ws_connecting", 2.5);
  const auto doc = build_result_document(run_info{}, rec, {}, {}, nullptr, nullptr);
  const auto& t = at(at(doc, "metrics"), "ws_connecting");
  EXPECT_EQ(t.at("unit").as_string(), "ms");
  EXPECT_EQ(t.at("count").to_number<std::uint64_t>(), 2u);
  EXPECT_DOUBLE_EQ(t.at("min").to_number<double>(), 1.5);
  EXPECT_DOUBLE_EQ(t.at("max").to_number<double>(), 2.5);
  EXPECT_DOUBLE_EQ(t.at("mean").to_number<double>(), 2.0);
  EXPECT_NEAR(t.at("p50").to_number<double>(), 1.5, 0.002);
}

TEST(ResultDocument, HistogramKeepsExactCountsInFewBars) {
  const auto doc = sample_run_document();
  const auto& t = at(at(doc, "metrics"), "ws_connecting");
  const auto& bars = t.at("histogram").as_array();
  EXPECT_LE(bars.size(), max_histogram_bars);
  std::uint64_t total = 0;
  double previous_upper = -1;
  for (const auto& b : bars) {
    const auto& bar = b.as_array();
    EXPECT_LE(bar[0].to_number<double>(), bar[1].to_number<double>());
    EXPECT_GT(bar[0].to_number<double>(), previous_upper);
    previous_upper = bar[1].to_number<double>();
    total += bar[2].to_number<std::uint64_t>();
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_DOUBLE_EQ(previous_upper, t.at("max").to_number<double>());
}

TEST(HistogramBars, MergesManyBucketsAndKeepsFewAsTheyAre) {
  std::vector<metrics::histogram::bucket> buckets;
  for (std::int64_t v = 0; v < 5000; v += 7) buckets.push_back({v, v, 2});
  const auto bars = histogram_bars(buckets, 60);
  EXPECT_LE(bars.size(), 60u);
  EXPECT_EQ(std::accumulate(bars.begin(), bars.end(), std::uint64_t{0},
                            [](std::uint64_t n, const auto& b) { return n + b.count; }),
            2 * buckets.size());
  EXPECT_EQ(bars.front().lower, 0);
  EXPECT_EQ(bars.back().upper, buckets.back().upper);

  const std::vector<metrics::histogram::bucket> few = {{1, 1, 3}, {10, 10, 1}};
  const auto same = histogram_bars(few, 60);
  ASSERT_EQ(same.size(), 2u);
  EXPECT_EQ(same[1].lower, 10);
}

TEST(ResultDocument, RunSettingsAndSecretsMasked) {
  const auto doc = sample_run_document();
  const auto& run = at(doc, "run");
  EXPECT_EQ(run.at("started_at").as_string(), "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(run.at("ended_at").as_string(), "2024-05-01T12:00:30.012Z");
  EXPECT_EQ(run.at("duration_ms").to_number<int>(), 30000);
  const auto& env = at(run, "env");
  EXPECT_EQ(env.at("REGION").as_string(), "eu-west");
  EXPECT_EQ(env.at("API_KEY").as_string(), "***");
  EXPECT_EQ(env.at("db_password").as_string(), "***");
}

TEST(ResultDocument, ChecksInFirstSeenOrderWithFirstFailure) {
  const auto doc = sample_run_document();
  const auto& checks = doc.at("checks").as_array();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].at("name").as_string(), "status is 101");
  EXPECT_EQ(checks[0].at("fails").to_number<int>(), 2);
  EXPECT_EQ(checks[0].at("first_failure").as_string(), "got 403 Forbidden");
  EXPECT_TRUE(checks[1].at("first_failure").is_null());
}

TEST(ResultDocument, CloseCodesCarryTheirMeaning) {
  const auto doc = sample_run_document();
  const auto& codes = doc.at("close_codes").as_array();
  ASSERT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes[0].at("meaning").as_string(), "Normal Closure");
  EXPECT_EQ(codes[1].at("meaning").as_string(), "Abnormal Closure");
  EXPECT_EQ(close_code_meaning(1015), "TLS Handshake");
  EXPECT_EQ(close_code_meaning(4001), "Application-defined");
  EXPECT_EQ(close_code_meaning(1), "");
}

TEST(ResultDocument, ErrorsMostFrequentFirstAndCountersRatePerSecond) {
  const auto doc = sample_run_document();
  const auto& errors = doc.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("kind").as_string(), "connection_refused");
  EXPECT_EQ(errors[0].at("count").to_number<int>(), 3);
  const auto& sent = at(at(doc, "metrics"), "ws_msgs_sent");
  EXPECT_NEAR(sent.at("rate").to_number<double>(), 1210 / 30.012, 0.001);
}

TEST(ResultDocument, ThresholdWithoutDataHasNullActual) {
  const auto doc = sample_run_document();
  const auto& t = doc.at("thresholds").as_array();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].at("expression").as_string(), "ws_connecting.p99 < 200");
  EXPECT_TRUE(t[2].at("actual").is_null());
  EXPECT_FALSE(t[2].at("ok").as_bool());
}

TEST(ResultDocument, ValidationAndCasesOnlyWhenGiven) {
  const auto run = sample_run_document();
  EXPECT_TRUE(run.contains("validation"));
  EXPECT_FALSE(run.contains("cases"));
  const auto conform = sample_conform_document();
  EXPECT_FALSE(conform.contains("validation"));
  EXPECT_EQ(conform.at("cases").as_array().size(), 5u);
}

}  // namespace
}  // namespace drover::reporting
