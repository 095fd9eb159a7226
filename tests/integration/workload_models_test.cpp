// The workload models of `drover run` (k6's executors) against the echo fake, each checked on
// its defining behaviour: an arrival rate held while the server is slow, iterations dropped
// (and counted) when the pool is exhausted, latency measured from the intended start,
// ramping-vus following its stages, per-vu-iterations counting exactly, shards adding up,
// the progress line, Ctrl-C, and flag errors. Every run is a few seconds long.
#include <signal.h>


#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/integration/summary_schema.hpp"
#include "tests/support/process.hpp"
#include "tests/integration/summary_read.hpp"

namespace drover::test {
namespace {

const std::string drover = DROVER_BINARY;
const std::string root = DROVER_SOURCE_ROOT;


std::string write_scenario(const std::string& dir, const std::string& text) {
  std::string path = dir + "/scenario.lua";
  std::ofstream(path) << text;
  return path;
}

// One request -> answer per iteration on a fresh connection: against `slow-ack` an iteration
// takes 500 ms whatever the load.
const char* one_request = R"(
function client()
  local conn = assert(ws.connect())
  conn:send({ id = vu.id })
  local answer = conn:recv(5000)
  check("answered", answer ~= nil)
  conn:close(1000, "done")
end
)";

std::vector<std::string> run_args(const std::string& scenario, const std::string& url, const std::string& out,
                                  std::vector<std::string> extra) {
  std::vector<std::string> argv = {drover, "run", scenario, "--target", url, "--out", out, "--quiet"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

TEST(WorkloadModels, ConstantArrivalRateIsHeldWhileTheServerIsSlow) {
  fake_process fake("echo", {"--fault", "slow-ack"});
  auto out = temp_dir("car");
  auto scenario = write_scenario(out, one_request);
  // 40 iterations/s for 3 s of 500 ms iterations: about 20 at once, a pool that may grow to 60.
  auto r = run_process(run_args(scenario, fake.url(), out,
                                {"--executor", "constant-arrival-rate", "--rate", "40", "--duration", "3s",
                                 "--pre-allocated-vus", "5", "--max-vus", "60", "--workers", "2"}),
                       std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  // The schedule starts 120 iterations; a closed loop of 5 clients would have done 30.
  double iterations = metric(doc, "iterations", "count");
  EXPECT_NEAR(iterations, 120, 120 * 0.05) << "rate not held";
  EXPECT_EQ(metric(doc, "dropped_iterations", "count"), 0);
  EXPECT_EQ(metric(doc, "ws_sessions", "count"), iterations);
  // The server's 500 ms are in every iteration, and the pool grew beyond its 5 clients.
  EXPECT_GE(metric(doc, "iteration_duration", "min"), 490);
  EXPECT_GE(metric(doc, "vus_max", "max"), 15);
  EXPECT_LE(metric(doc, "vus_max", "max"), 60);
  EXPECT_EQ(metric(doc, "iteration_start_lag", "count"), iterations);
}

TEST(WorkloadModels, ExhaustedPoolCountsDroppedIterationsNeverSkipsThem) {
  fake_process fake("echo", {"--fault", "slow-ack"});
  auto out = temp_dir("drop");
  auto scenario = write_scenario(out, one_request);
  // 4 clients of 500 ms iterations serve 8/s; the schedule asks 40/s for 2 s (80 iterations).
  auto r = run_process(run_args(scenario, fake.url(), out,
                                {"--executor", "constant-arrival-rate", "--rate", "40", "--duration", "2s",
                                 "--pre-allocated-vus", "2", "--max-vus", "4", "--workers", "1"}),
                       std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  double iterations = metric(doc, "iterations", "count");
  double dropped = metric(doc, "dropped_iterations", "count");
  EXPECT_GT(dropped, 40);
  EXPECT_LE(iterations, 4 * 5) << "4 clients cannot do more than 4 iterations per 500 ms";
  EXPECT_EQ(iterations + dropped, 80) << "every scheduled iteration either ran or was counted as dropped";
  EXPECT_EQ(metric(doc, "vus_max", "max"), 4);
  // The console shows the counter like the others.
  EXPECT_NE(r.out.find("dropped_iterations"), std::string::npos) << r.out;
}

TEST(WorkloadModels, LatencyIsMeasuredFromTheIntendedStart) {
  fake_process fake("echo");
  auto out = temp_dir("co");
  // Client 1's first iteration holds the worker's thread for 300 ms (a stalled generator):
  // the iterations due meanwhile start late, and that lateness is in their duration.
  auto scenario = write_scenario(out, R"(
local stalled = false
function client()
  if not stalled then
    stalled = true
    local t = os.clock()
    while os.clock() - t < 0.3 do end
  end
  local conn = assert(ws.connect())
  conn:send({ id = vu.id })
  conn:recv(5000)
  conn:close(1000, "done")
end
)");
  auto r = run_process(run_args(scenario, fake.url(), out,
                                {"--executor", "constant-arrival-rate", "--rate", "50", "--duration", "1s",
                                 "--pre-allocated-vus", "5", "--max-vus", "60", "--workers", "1"}),
                       std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(metric(doc, "iterations", "count"), 50) << r.out;
  EXPECT_EQ(metric(doc, "dropped_iterations", "count"), 0) << "the pool grows for the iterations due after the stall";
  double lag_max = metric(doc, "iteration_start_lag", "max");
  EXPECT_GE(lag_max, 200) << "the iterations due during the stall started late";
  // Measured from the intended start: the longest iteration includes the longest lag.
  EXPECT_GE(metric(doc, "iteration_duration", "max"), lag_max);
  EXPECT_GE(metric(doc, "iteration_duration", "p90"), 100) << "about 15 of 50 iterations waited for the stall";
}

TEST(WorkloadModels, RampingArrivalRateStartsTheIntegralOfItsRate) {
  fake_process fake("echo");
  auto out = temp_dir("rar");
  auto scenario = write_scenario(out, R"(
options = { executor = "ramping-arrival-rate", startRate = 0, preAllocatedVUs = 5, maxVUs = 20,
            stages = { { duration = "2s", target = 40 }, { duration = "1s", target = 40 } } }
function client()
  local conn = assert(ws.connect())
  conn:send({ at = now() })
  conn:recv(5000)
  conn:close(1000, "done")
  -- which second of the run this iteration started in
  metrics.counter("second_" .. math.floor(now() / 1000))
end
)");
  auto r = run_process(run_args(scenario, fake.url(), out, {"--workers", "2"}), std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  // 0 -> 40/s over 2 s is 40 iterations, then 40 more in the flat second.
  EXPECT_EQ(metric(doc, "iterations", "count") + metric(doc, "dropped_iterations", "count"), 80);
  EXPECT_EQ(metric(doc, "dropped_iterations", "count"), 0);
  // The ramp: 10 in the first second, 30 in the second, 40 in the third (a few cross a boundary).
  EXPECT_NEAR(metric(doc, "second_0", "count"), 10, 3);
  EXPECT_NEAR(metric(doc, "second_1", "count"), 30, 3);
  EXPECT_NEAR(metric(doc, "second_2", "count"), 40, 3);
}

TEST(WorkloadModels, RampingVusFollowsItsStagesUpAndDown) {
  fake_process fake("echo");
  auto out = temp_dir("rvu");
  auto scenario = write_scenario(out, R"(
function client()
  local conn = assert(ws.connect())
  conn:send({ id = vu.id })
  conn:recv(5000)
  conn:close(1000, "done")
  metrics.counter("second_" .. math.floor(now() / 1000))
  sleep(50)
end
)");
  // 0 -> 6 clients over 1 s, 6 for 1 s, 6 -> 0 over 1 s.
  auto r = run_process(run_args(scenario, fake.url(), out,
                                {"--executor", "ramping-vus", "--stage", "1s:6", "--stage", "1s:6", "--stage", "1s:0",
                                 "--workers", "1"}),
                       std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(first_summary_schema_violation(boost::json::value(doc)), "");
  EXPECT_EQ(doc.at("run").at("executor").as_string(), "ramping-vus");
  EXPECT_EQ(doc.at("run").as_object().if_contains("shard"), nullptr) << "no shard without --shard";
  EXPECT_EQ(metric(doc, "vus", "max"), 6);
  EXPECT_EQ(metric(doc, "vus", "value"), 0) << "ramped down to 0";
  EXPECT_EQ(doc.at("run").at("vus_started").to_number<int>(), 6);
  double up = metric(doc, "second_0", "count"), flat = metric(doc, "second_1", "count"),
         down = metric(doc, "second_2", "count");
  // About 6 x 18 iterations in the flat second and half that on each ramp.
  EXPECT_GT(flat, 1.5 * up) << up << " " << flat;
  EXPECT_GT(flat, 1.5 * down) << flat << " " << down;
  EXPECT_LE(metric(doc, "second_3", "count"), 6) << "after the last stage at most the iterations under way end";
  EXPECT_LT(doc.at("run").at("elapsed_ms").to_number<double>(), 4500);
}

TEST(WorkloadModels, RampDownStopsAClientStuckPastGracefulStop) {
  fake_process fake("echo", {"--fault", "no-ack"});
  auto out = temp_dir("rvu-stuck");
  auto scenario = write_scenario(out, R"(
function client()
  local conn = assert(ws.connect())
  conn:send({ id = vu.id })
  conn:recv(20000)  -- never answered
  conn:close(1000, "done")
end
)");
  // One client from 0.5 s, retired at 1.5 s, stuck in recv: stopped at 2 s (graceful stop
  // 500 ms), not held until the run ends at 3.6 s.
  auto r = run_process(run_args(scenario, fake.url(), out,
                                {"--executor", "ramping-vus", "--stage", "500ms:1", "--stage", "1s:1", "--stage",
                                 "100ms:0", "--stage", "2s:0", "--graceful-stop", "500ms", "--workers", "1"}),
                       std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(metric(doc, "ws_sessions", "count"), 1);
  EXPECT_EQ(metric(doc, "iterations", "count"), 0) << "a stopped iteration is not a finished one";
  EXPECT_GT(metric(doc, "ws_session_duration", "max"), 900);
  EXPECT_LT(metric(doc, "ws_session_duration", "max"), 2500) << "the retired client was not stopped";
}

TEST(WorkloadModels, PerVuIterationsRunsExactlyThatMany) {
  fake_process fake("echo");
  auto out = temp_dir("pvi");
  auto scenario = write_scenario(out, R"(
options = { executor = "per-vu-iterations", vus = 5, iterations = 3, maxDuration = "20s" }
function client()
  local conn = assert(ws.connect())
  conn:send({ id = vu.id })
  conn:recv(5000)
  conn:close(1000, "done")
  metrics.counter("client_" .. vu.id)
end
)");
  auto r = run_process(run_args(scenario, fake.url(), out, {"--workers", "2"}), std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(metric(doc, "iterations", "count"), 15);
  for (int id = 1; id <= 5; ++id) EXPECT_EQ(metric(doc, "client_" + std::to_string(id), "count"), 3) << id;
  EXPECT_LT(doc.at("run").at("elapsed_ms").to_number<double>(), 10000) << "ends when the iterations are done";
}

TEST(WorkloadModels, ShardsAddUpToTheWholeTest) {
  fake_process fake("echo");
  double total = 0;
  std::set<std::string> ids;
  for (int shard = 1; shard <= 3; ++shard) {
    auto out = temp_dir("shard");
    auto scenario = write_scenario(out, R"(
function client()
  metrics.counter("client_" .. vu.id)
end
)");
    auto r = run_process(run_args(scenario, fake.url(), out,
                                  {"--executor", "constant-arrival-rate", "--rate", "20", "--duration", "2s",
                                   "--pre-allocated-vus", "4", "--shard", std::to_string(shard) + "/3"}),
                         std::chrono::seconds(60));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto doc = load_summary(out);
    total += metric(doc, "iterations", "count");
    for (const auto& [name, value] : doc.at("metrics").as_object()) {
      if (name.starts_with("client_")) {
        EXPECT_TRUE(ids.insert(std::string(name)).second) << name << " in two shards";
      }
    }
    EXPECT_EQ(first_summary_schema_violation(boost::json::value(doc)), "");
    EXPECT_EQ(doc.at("run").at("executor").as_string(), "constant-arrival-rate");
    EXPECT_NE(r.out.find("load      constant-arrival-rate: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(", shard " + std::to_string(shard) + "/3"), std::string::npos) << r.out;
    const auto& s = doc.at("run").at("shard").as_object();
    EXPECT_EQ(s.at("index").to_number<int>(), shard);
    EXPECT_EQ(s.at("count").to_number<int>(), 3);
  }
  EXPECT_EQ(total, 40) << "the three shards start the one schedule's 40 iterations between them";
  EXPECT_EQ(ids.size(), 4u) << "the pool of 4 clients is split across the shards with distinct ids";
}

TEST(WorkloadModels, ProgressLineOncePerSecondOnAPipe) {
  fake_process fake("echo", {"--fault", "slow-ack"});
  auto out = temp_dir("progress");
  auto scenario = write_scenario(out, one_request);
  auto r = run_process({drover, "run", scenario, "--target", fake.url(), "--out", out, "--executor",
                        "constant-arrival-rate", "--rate", "20", "--duration", "3s", "--pre-allocated-vus", "2",
                        "--max-vus", "3"},
                       std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  int lines = 0;
  std::size_t at = 0;
  while ((at = r.err.find("s/3s  clients", at)) != std::string::npos) {
    ++lines;
    ++at;
  }
  EXPECT_GE(lines, 2) << r.err;
  EXPECT_LE(lines, 5) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "no carriage returns when stderr is not a terminal";
  EXPECT_NE(r.err.find("dropped "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("msgs/s in "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("p99 iteration_duration"), std::string::npos) << r.err;
}

TEST(WorkloadModels, ProgressLineIsRewrittenInPlaceOnATerminal) {
  const std::string script = "/usr/bin/script";  // util-linux, in every Debian
  if (!std::filesystem::exists(script)) GTEST_SKIP() << "no script(1) for a pty";
  fake_process fake("echo");
  auto out = temp_dir("progress-tty");
  auto scenario = write_scenario(out, one_request);
  // script(1) gives drover a pseudo-terminal (stderr included) and copies what it wrote.
  std::string command = drover + " run " + scenario + " --target " + fake.url() + " --out " + out +
                        " --executor constant-arrival-rate --rate 20 --duration 2500ms --pre-allocated-vus 2";
  auto r = run_process({script, "-qec", command, "/dev/null"}, std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Two ticks ("...s/2500ms  clients ..."): between them a carriage return and no line end.
  auto first = r.out.find("s/2500ms  clients");
  ASSERT_NE(first, std::string::npos) << r.out;
  auto second = r.out.find("s/2500ms  clients", first + 1);
  ASSERT_NE(second, std::string::npos) << r.out;
  auto between = r.out.substr(first, second - first);
  EXPECT_NE(between.find('\r'), std::string::npos) << between;
  EXPECT_EQ(between.find('\n'), std::string::npos)
      << "the second tick rewrites the first line instead of starting a new one";
}

TEST(WorkloadModels, InterruptUnderAnArrivalRateWritesThePartialReport) {
  fake_process fake("echo", {"--fault", "slow-ack"});
  auto out = temp_dir("car-sigint");
  auto scenario = write_scenario(out, R"(
local told = false
function client()
  local conn = assert(ws.connect())
  conn:send({ id = vu.id })
  local answer = conn:recv(5000)
  if answer and not told then
    told = true
    io.stdout:write("answered\n")
    io.stdout:flush()
  end
  conn:close(1000, "done")
end
)");
  child_process run({drover, "run", scenario, "--target", fake.url(), "--out", out, "--quiet", "--executor",
                     "constant-arrival-rate", "--rate", "20", "--duration", "60s", "--pre-allocated-vus", "5",
                     "--max-vus", "8", "--workers", "1"});
  ASSERT_EQ(run.wait_for_line("answered", std::chrono::seconds(60)), "answered");
  run.signal(SIGINT);
  EXPECT_EQ(run.wait(std::chrono::seconds(30)), 130);
  auto doc = load_summary(out);
  EXPECT_TRUE(doc.at("run").at("interrupted").as_bool());
  EXPECT_GT(metric(doc, "iterations", "count"), 0);
  EXPECT_GE(metric(doc, "dropped_iterations", "count"), 0) << "the counter is in the partial report";
  EXPECT_GT(metric(doc, "iteration_start_lag", "count"), 0);
}

TEST(WorkloadModels, BadModelFlagsAreOneLineUsageErrorsNamingTheFlag) {
  auto dir = temp_dir("badflags");
  auto scenario = write_scenario(dir, one_request);
  struct usage_case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<usage_case> cases = {
      {{"--executor", "shared-iterations"}, "--executor: unknown executor 'shared-iterations'"},
      {{"--executor", "constant-arrival-rate", "--rate", "-3", "--duration", "1s"}, "--rate"},
      {{"--executor", "constant-arrival-rate", "--rate", "fast"}, "--rate"},
      {{"--executor", "constant-arrival-rate", "--rate", "5", "--duration", "1s", "--pre-allocated-vus", "0"},
       "--pre-allocated-vus"},
      {{"--executor", "constant-arrival-rate", "--rate", "5", "--duration", "1s", "--max-vus", "two"}, "--max-vus"},
      {{"--executor", "constant-arrival-rate", "--rate", "5", "--duration", "1s", "--pre-allocated-vus", "4",
        "--max-vus", "2"},
       "--max-vus (2) must not be below --pre-allocated-vus (4)"},
      {{"--executor", "constant-arrival-rate", "--rate", "5", "--time-unit", "soon"}, "--time-unit"},
      {{"--executor", "ramping-vus", "--stage", "10s"}, "--stage"},
      {{"--executor", "ramping-vus"}, "ramping-vus needs stages"},
      {{"--executor", "ramping-vus", "--stage", "1s:5", "--duration", "5s"}, "--duration does not apply"},
      {{"--rate", "5"}, "--rate, --time-unit"},
      {{"--shard", "4/3"}, "--shard"},
      {{"--shard", "x"}, "--shard"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {drover, "run", scenario, "--target", "ws://127.0.0.1:1/", "--quiet"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run_process(argv, std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 2) << c.says << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace drover::test
