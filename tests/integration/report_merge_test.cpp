// `drover report merge` end to end: the same scenario as 3 `drover run` processes against 3
// `drover fake echo` processes (each a third of the clients) and as one process with all the
// clients; the merged result must equal the single run's: counters exactly, percentiles of a
// trend whose values do not depend on timing to the histogram's precision, thresholds judged on
// the merged data (each shard alone breaches the total-count threshold, the merge does not).
#include <signal.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include <boost/json.hpp>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

namespace fs = std::filesystem;
const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;
const std::string scenario = root + "/tests/integration/scenarios/merge_shard.lua";

boost::json::object load(const std::string& dir) { return boost::json::parse(read_file(dir + "/summary.json")).as_object(); }

double metric(const boost::json::object& doc, const std::string& name, const std::string& field) {
  return doc.at("metrics").at(name).at(field).to_number<double>();
}

// Runs the shards side by side, each against its own fake; returns their --out folders.
std::vector<std::string> run_shards(const std::string& dir, const std::vector<std::vector<std::string>>& shard_args) {
  std::vector<std::unique_ptr<fake_process>> fakes;
  std::vector<std::unique_ptr<child_process>> runs;
  std::vector<std::string> outs;
  for (std::size_t i = 0; i < shard_args.size(); ++i) {
    fakes.push_back(std::make_unique<fake_process>("echo"));
    outs.push_back(dir + "/shard-" + std::to_string(i));
    std::vector<std::string> argv = {drover, "run", scenario, "--target", fakes.back()->url("/"), "--out", outs.back(),
                                     "--quiet", "--workers", "1"};
    argv.insert(argv.end(), shard_args[i].begin(), shard_args[i].end());
    runs.push_back(std::make_unique<child_process>(argv));
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Exit 1: each shard alone misses the total-count threshold (the merge judges it again).
    EXPECT_EQ(runs[i]->wait(std::chrono::seconds(60)), 1) << "shard " << i;
  }
  return outs;
}

void expect_merge_equals_single(const std::vector<std::string>& shards, const std::string& dir) {
  // One process with all 12 clients.
  fake_process single_fake("echo");
  const std::string single_out = dir + "/single";
  auto single = run_process({drover, "run", scenario, "--target", single_fake.url("/"), "--vus", "12", "--out",
                             single_out, "--quiet", "--workers", "1"},
                            std::chrono::seconds(60));
  ASSERT_EQ(single.exit_code, 0) << single.out << single.err;

  const std::string merged_out = dir + "/merged";
  std::vector<std::string> argv = {drover, "report", "merge"};
  argv.insert(argv.end(), shards.begin(), shards.end());
  argv.insert(argv.end(), {"--out", merged_out});
  auto merge = run_process(argv, std::chrono::seconds(60));
  ASSERT_EQ(merge.exit_code, 0) << merge.out << merge.err;
  EXPECT_TRUE(fs::exists(merged_out + "/report.html"));
  EXPECT_TRUE(fs::exists(merged_out + "/junit.xml"));

  auto one = load(single_out), merged = load(merged_out);
  // 12 clients x 5 iterations x 10 messages, in both layouts.
  for (const char* c : {"ws_msgs_sent", "ws_msgs_received", "iterations", "ws_sessions", "data_sent", "data_received"})
    EXPECT_EQ(metric(merged, c, "count"), metric(one, c, "count")) << c;
  EXPECT_EQ(metric(merged, "ws_msgs_sent", "count"), 600);
  EXPECT_EQ(metric(merged, "checks", "passes"), metric(one, "checks", "passes"));
  EXPECT_EQ(metric(merged, "checks", "fails"), 0);
  // position_ms: the same values in both layouts, so the same percentiles (3 significant digits).
  for (const char* p : {"count", "min", "p50", "p90", "p95", "p99", "max"}) {
    const double want = metric(one, "position_ms", p), got = metric(merged, "position_ms", p);
    EXPECT_NEAR(got, want, want * 0.001) << p;
  }
  EXPECT_NEAR(metric(merged, "position_ms", "mean"), metric(one, "position_ms", "mean"), 0.01);
  // echo_rtt is real timing: counts equal; the merged extremes are the shards' extremes and the
  // merged median lies between the shards' medians.
  EXPECT_EQ(metric(merged, "echo_rtt", "count"), metric(one, "echo_rtt", "count"));
  double lo_min = 1e18, hi_max = 0, lo_p50 = 1e18, hi_p50 = 0;
  for (const auto& s : shards) {
    auto doc = load(s);
    lo_min = std::min(lo_min, metric(doc, "echo_rtt", "min"));
    hi_max = std::max(hi_max, metric(doc, "echo_rtt", "max"));
    lo_p50 = std::min(lo_p50, metric(doc, "echo_rtt", "p50"));
    hi_p50 = std::max(hi_p50, metric(doc, "echo_rtt", "p50"));
  }
  EXPECT_EQ(metric(merged, "echo_rtt", "min"), lo_min);
  EXPECT_EQ(metric(merged, "echo_rtt", "max"), hi_max);
  EXPECT_GE(metric(merged, "echo_rtt", "p50"), lo_p50 * 0.999);
  EXPECT_LE(metric(merged, "echo_rtt", "p50"), hi_p50 * 1.001);
  // Thresholds: judged again on the merged data, all met, as in the single run.
  const auto& thresholds = merged.at("thresholds").as_array();
  ASSERT_EQ(thresholds.size(), 3u);
  for (const auto& t : thresholds) EXPECT_TRUE(t.at("ok").as_bool()) << t;
  EXPECT_EQ(merged.at("outcome").at("status").as_string(), "passed");
  EXPECT_EQ(merged.at("run").at("vus").to_number<int>(), 12);
  EXPECT_EQ(merged.at("run").at("vus_started").to_number<int>(), 12);
}

TEST(ReportMergeCli, ThreeProcessesWithAShareOfClientsEachMergeToOneProcess) {
  const std::string dir = temp_dir("merge");
  auto shards = run_shards(dir, {{"--vus", "4"}, {"--vus", "4"}, {"--vus", "4"}});
  expect_merge_equals_single(shards, dir);
  fs::remove_all(dir);
}

TEST(ReportMergeCli, ThreeShardsOfOneRunMergeToOneProcess) {
  auto help = run_process({drover, "run", "--help"}, std::chrono::seconds(30));
  if (help.out.find("--shard") == std::string::npos) GTEST_SKIP() << "this drover run has no --shard yet";
  const std::string dir = temp_dir("merge-shard");
  auto shards = run_shards(dir, {{"--vus", "12", "--shard", "1/3"}, {"--vus", "12", "--shard", "2/3"},
                                 {"--vus", "12", "--shard", "3/3"}});
  expect_merge_equals_single(shards, dir);

  // Two of the three shards: not the whole test, a usage error naming what is missing.
  auto partial = run_process({drover, "report", "merge", shards[0], shards[2], "--out", dir + "/partial"});
  EXPECT_EQ(partial.exit_code, 2) << partial.err;
  EXPECT_NE(partial.err.find("2/3 missing"), std::string::npos) << partial.err;
  fs::remove_all(dir);
}

TEST(ReportMergeCli, InputErrorsAreOneLineNamingTheFile) {
  const std::string dir = temp_dir("merge-errors");
  auto r = run_process({drover, "report", "merge", dir + "/nope", "--out", dir + "/m"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir + "/nope"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  r = run_process({drover, "report", "merge", dir, "--out", dir + "/m"});  // a folder without summary.json
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir + "/summary.json"), std::string::npos) << r.err;

  r = run_process({drover, "report", "merge"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_process({drover, "report", "frobnicate", dir});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/m"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace drover::test
