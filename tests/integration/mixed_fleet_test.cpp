// Mixed fleets (options.scenarios) run by the real drover binary against the echo fake: each
// scenario runs its own model and Lua function at the same time, its metrics exist as tagged
// sub-metrics, thresholds on a sub-metric pass or fail the run, and --shard splits every
// scenario. Every run is a few seconds long.


#include <algorithm>
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/integration/summary_schema.hpp"
#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string drover = DROVER_BINARY;
const std::string root = DROVER_SOURCE_ROOT;


boost::json::object summary_of(const std::string& dir) {
  return boost::json::parse(read_file(dir + "/summary.json")).as_object();
}

// A metric's field, or -1 when the metric is absent.
double field(const boost::json::object& doc, const std::string& name, const std::string& what) {
  const auto* m = doc.at("metrics").as_object().if_contains(name);
  if (!m) return -1;
  const auto* v = m->as_object().if_contains(what);
  return v ? v->to_number<double>() : -1;
}

// phones: 4 clients, 3 iterations each (per-vu-iterations: exactly 12), each sending 2 messages;
// wearables: 20 iterations/s for 2 s from 0.5 s on (constant-arrival-rate: 40), one message
// each. Each scenario's function is its own, so the message counts tell them apart too.
std::string fleet_script(const std::string& thresholds) {
  return R"(
options = {
  scenarios = {
    phones = { executor = "per-vu-iterations", vus = 4, iterations = 3, max_duration = "10s", exec = "phone",
               tags = { kind = "phone" } },
    wearables = { executor = "constant-arrival-rate", rate = 20, time_unit = "1s", duration = "2s",
                  pre_allocated_vus = 4, max_vus = 8, start_time = "500ms", exec = "wearable" },
  },
  thresholds = { )" + thresholds + R"( },
}
function phone()
  local conn = assert(ws.connect())
  for i = 1, 2 do
    conn:send({ phone = vu.id, n = i })
    check("phone answered", conn:recv(5000) ~= nil)
  end
  conn:close(1000, "done")
end
function wearable()
  local conn = assert(ws.connect())
  conn:send({ wearable = vu.id })
  check("wearable answered", conn:recv(5000) ~= nil)
  conn:close(1000, "done")
end
)";
}

std::string write_fleet(const std::string& dir, const std::string& text) {
  std::string path = dir + "/fleet.lua";
  std::ofstream(path) << text;
  return path;
}

process_result run_fleet(const std::string& scenario, const std::string& url, const std::string& out,
                         std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {drover, "run", scenario, "--target", url, "--out", out, "--quiet", "--workers", "2"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv, std::chrono::seconds(60));
}

TEST(MixedFleet, EachScenarioRunsItsOwnModelWithItsOwnSubMetrics) {
  fake_process fake("echo");
  auto out = temp_dir("fleet");
  auto scenario = write_fleet(out, fleet_script(R"(["iteration_duration{scenario:wearables}.p99"] = "< 2000",
    ["iterations{kind:phone,scenario:phones}.count"] = "== 12")"));
  auto r = run_fleet(scenario, fake.url(), out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = summary_of(out);
  EXPECT_EQ(first_summary_schema_violation(boost::json::value(doc)), "");

  // per-vu-iterations: exactly 4 x 3, two messages each.
  EXPECT_EQ(field(doc, "iterations{kind:phone,scenario:phones}", "count"), 12);
  EXPECT_EQ(field(doc, "ws_msgs_sent{kind:phone,scenario:phones}", "count"), 24);
  EXPECT_EQ(field(doc, "ws_sessions{kind:phone,scenario:phones}", "count"), 12);
  // constant-arrival-rate: 20/s for 2 s, one message each, never dropped against the echo.
  double w = field(doc, "iterations{scenario:wearables}", "count");
  EXPECT_NEAR(w, 40, 2);
  EXPECT_EQ(field(doc, "ws_msgs_sent{scenario:wearables}", "count"), w);
  EXPECT_EQ(field(doc, "dropped_iterations{scenario:wearables}", "count"), 0);
  EXPECT_EQ(field(doc, "iteration_start_lag{scenario:wearables}", "count"), w);
  // Only the arrival-rate scenario has an arrival-rate metric.
  EXPECT_EQ(field(doc, "dropped_iterations{kind:phone,scenario:phones}", "count"), -1);
  // The whole is the sum of the parts.
  EXPECT_EQ(field(doc, "iterations", "count"), 12 + w);
  EXPECT_EQ(field(doc, "iteration_duration", "count"), 12 + w);

  // run.scenarios names each scenario, its model, function and tags.
  const auto& run = doc.at("run").as_object();
  EXPECT_EQ(run.if_contains("executor"), nullptr);
  const auto& list = run.at("scenarios").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("name"), "phones");
  EXPECT_EQ(list[0].at("executor"), "per-vu-iterations");
  EXPECT_EQ(list[0].at("exec"), "phone");
  EXPECT_EQ(list[0].at("tags").at("kind"), "phone");
  EXPECT_EQ(list[1].at("name"), "wearables");
  EXPECT_EQ(list[1].at("executor"), "constant-arrival-rate");
  EXPECT_EQ(list[1].at("start_time_ms").to_number<int>(), 500);

  const auto& thresholds = doc.at("thresholds").as_array();
  ASSERT_EQ(thresholds.size(), 2u);
  for (const auto& t : thresholds) EXPECT_TRUE(t.at("ok").as_bool()) << boost::json::serialize(t);
  // The console and the report name the scenarios and show the sub-metrics.
  EXPECT_NE(r.out.find("phones: per-vu-iterations, 4 VUs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wearables: constant-arrival-rate, 4 VUs, from 500ms"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("iterations{kind:phone,scenario:phones}"), std::string::npos) << r.out;
  EXPECT_NE(read_file(out + "/report.html").find("iterations{scenario:wearables}"), std::string::npos);
  // A sub-metric follows its own metric in the document (vus{...} before vus_max, not after).
  std::vector<std::string> names;
  for (const auto& m : doc.at("metrics").as_object()) names.push_back(m.key());
  auto at = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  EXPECT_EQ(at("vus{kind:phone,scenario:phones}"), at("vus") + 1);
  EXPECT_LT(at("vus{scenario:wearables}"), at("vus_max"));
}

TEST(MixedFleet, ABrokenThresholdOnOneScenarioFailsTheRun) {
  fake_process fake("echo");
  auto out = temp_dir("fleet-broken");
  // The wearables' count is about 40: "< 5" must fail, while the phones' threshold holds.
  auto scenario = write_fleet(out, fleet_script(R"(["iterations{scenario:wearables}.count"] = "< 5",
    ["iterations{scenario:phones}.count"] = "== 12")"));
  auto r = run_fleet(scenario, fake.url(), out);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // README: 1 = thresholds breached
  auto doc = summary_of(out);
  EXPECT_EQ(doc.at("outcome").at("status"), "thresholds_breached") << boost::json::serialize(doc.at("outcome"));
  const auto& thresholds = doc.at("thresholds").as_array();
  ASSERT_EQ(thresholds.size(), 2u);
  bool wearables_failed = false, phones_passed = false;
  for (const auto& t : thresholds) {
    std::string metric(t.at("metric").as_string());
    if (metric == "iterations{scenario:wearables}") wearables_failed = !t.at("ok").as_bool();
    // {scenario:phones} is a subset of the phones' tags: judged on a sub-metric of its own.
    if (metric == "iterations{scenario:phones}") phones_passed = t.at("ok").as_bool();
  }
  EXPECT_TRUE(wearables_failed);
  EXPECT_TRUE(phones_passed);
  EXPECT_EQ(first_summary_schema_violation(boost::json::value(doc)), "");
}

TEST(MixedFleet, AThresholdNamingAnUnknownScenarioIsAUsageError) {
  auto out = temp_dir("fleet-unknown");
  auto scenario = write_fleet(out, fleet_script(R"(["iterations{scenario:watches}.count"] = "> 1")"));
  auto r = run_fleet(scenario, "ws://127.0.0.1:9/", out);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("no scenario has the tags {scenario:watches}"), std::string::npos) << r.err;
}

TEST(MixedFleet, ShardsOfAMixedFleetAddUpToTheWhole) {
  fake_process fake("echo");
  auto script = fleet_script("");
  double phones = 0, wearables = 0, sessions = 0;
  for (int i = 1; i <= 2; ++i) {
    auto out = temp_dir("fleet-shard");
    auto r = run_fleet(write_fleet(out, script), fake.url(), out, {"--shard", std::to_string(i) + "/2"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto doc = summary_of(out);
    EXPECT_EQ(first_summary_schema_violation(boost::json::value(doc)), "");
    double p = field(doc, "iterations{kind:phone,scenario:phones}", "count");
    double w = field(doc, "iterations{scenario:wearables}", "count");
    // Each shard runs its share of every scenario.
    EXPECT_EQ(p, 6) << "shard " << i;
    EXPECT_NEAR(w, 20, 2) << "shard " << i;
    phones += p;
    wearables += w;
    sessions += field(doc, "ws_sessions", "count");
  }
  EXPECT_EQ(phones, 12);
  EXPECT_NEAR(wearables, 40, 2);
  EXPECT_EQ(sessions, phones + wearables);
}

// scenarios/load/mixed-fleet.lua, briefly, against the wearable and WiDB fakes this test starts:
// three scenarios (two servers) at once, each one's metrics and thresholds its own.
TEST(MixedFleet, ExampleRunsWearablesPhonesAndDashboardsAgainstTheFakes) {
  fake_process wearable("wearable", {"--consumer-limit", "8"});
  fake_process widb("widb");
  auto out = temp_dir("mixed-example");
  auto r = run_process({drover, "run", root + "/scenarios/load/mixed-fleet.lua", "--env",
                        "WEARABLE_URL=" + wearable.url("/"), "--env", "WIDB_URL=" + widb.url("/ws"), "--env",
                        "DURATION=3s", "--env", "WEARABLES=12", "--env", "PHONES=20", "--env", "START_DELAY_MS=500",
                        "--env", "GRACE_MS=2000",
                        // Accounting is what this test is about; latency on a shared CI core is not.
                        "--env", "E2E_P99_MS=10000", "--out", out, "--quiet"},
                       std::chrono::seconds(90));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = summary_of(out);
  EXPECT_EQ(first_summary_schema_violation(boost::json::value(doc)), "");
  ASSERT_EQ(doc.at("run").at("scenarios").as_array().size(), 3u);
  const std::string phones = "{protocol:widb,scenario:phones}", dashboards = "{protocol:widb,scenario:dashboards}",
                    wearables = "{protocol:wearable,scenario:wearables}";
  // Each scenario ran its own clients: 20 phones, 4 dashboards, 12 wearables (2 consumers).
  EXPECT_EQ(field(doc, "ws_sessions" + phones, "count"), 20);
  EXPECT_EQ(field(doc, "ws_sessions" + dashboards, "count"), 4);
  EXPECT_EQ(field(doc, "ws_sessions" + wearables, "count"), 12);
  // What the phones sent the dashboards received (one dashboard per key), and only they did.
  double sent = field(doc, "widb_lines_sent" + phones, "count");
  EXPECT_GT(sent, 100);
  EXPECT_EQ(field(doc, "widb_lines_delivered" + dashboards, "count"), sent);
  EXPECT_EQ(field(doc, "widb_lines_sent" + dashboards, "count"), -1);
  EXPECT_EQ(field(doc, "widb_lost" + dashboards, "count"), 0);
  double submitted = field(doc, "wearable_submitted" + wearables, "count");
  EXPECT_GT(submitted, 10);
  EXPECT_EQ(field(doc, "wearable_delivered" + wearables, "count"), 2 * submitted);
  EXPECT_GT(field(doc, "widb_e2e" + dashboards, "count"), 0);
  // Every threshold was judged, on its sub-metric, and held.
  const auto& thresholds = doc.at("thresholds").as_array();
  EXPECT_EQ(thresholds.size(), 8u);
  for (const auto& t : thresholds) {
    EXPECT_TRUE(t.at("ok").as_bool()) << boost::json::serialize(t);
    EXPECT_TRUE(t.at("actual").is_number()) << boost::json::serialize(t);
  }
}

}  // namespace
}  // namespace drover::test
