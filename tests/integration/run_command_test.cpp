// The real drover binary against the echo fake over loopback: a normal run and each way a run
// can go wrong (refused, no handshake, close 1011, a Lua error, a breached threshold, bad flags).
#include <signal.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/integration/summary_schema.hpp"
#include "tests/support/process.hpp"
#include "tests/integration/summary_read.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

std::string scenario(const std::string& name) { return root + "/tests/integration/scenarios/" + name; }

std::uint64_t error_count(const boost::json::object& doc, const std::string& kind) {
  for (const auto& e : doc.at("errors").as_array())
    if (e.at("kind").as_string() == kind) return e.at("count").to_number<std::uint64_t>();
  return 0;
}


TEST(RunCommand, EchoRunCompletesAndWritesValidOutputs) {
  fake_process fake("echo");
  auto out = temp_dir("run");
  auto r = run_process({drover, "run", root + "/scenarios/examples/echo.lua", "--target", fake.url(), "--vus", "20",
                        "--duration", "3s", "--ramp-up", "1s", "--workers", "2", "--out", out, "--quiet"});
  auto doc = load_summary(out);
  // The example's latency thresholds (p99 < 250 ms / 1 s) are a demo a loaded sanitizer build
  // may breach; everything else about the run must be right either way.
  for (const auto& t : doc.at("thresholds").as_array()) {
    std::string metric_name(t.at("metric").as_string());
    if (metric_name != "echo_rtt" && metric_name != "ws_connecting") EXPECT_TRUE(t.at("ok").as_bool()) << metric_name;
  }
  EXPECT_TRUE(r.exit_code == 0 || (r.exit_code == 1 && doc.at("outcome").at("status").as_string() ==
                                                            "thresholds_breached"))
      << r.exit_code << "\n" << r.out << r.err;
  EXPECT_TRUE(summary_schema_violations(doc).empty()) << summary_schema_violations(doc).front();
  EXPECT_EQ(doc.at("run").at("vus_connected").to_number<int>(), 20);
  EXPECT_GT(metric(doc, "echo_rtt", "count"), 100);
  EXPECT_GT(metric(doc, "echo_rtt", "p99"), 0);
  EXPECT_EQ(metric(doc, "ws_sessions", "count"), 20);
  EXPECT_EQ(metric(doc, "ws_msgs_sent", "count"), metric(doc, "ws_msgs_received", "count"));
  EXPECT_EQ(metric(doc, "ws_errors", "count"), 0);
  EXPECT_NE(r.out.find("echo_rtt"), std::string::npos) << "the console summary shows the custom trend";
  EXPECT_TRUE(std::filesystem::exists(out + "/report.html"));
  EXPECT_TRUE(std::filesystem::exists(out + "/junit.xml"));
}

TEST(RunCommand, PingAndCloseExampleRunsWithSetupDataAndPasses) {
  fake_process fake("echo");
  auto out = temp_dir("example");
  auto r = run_process({drover, "run", root + "/scenarios/examples/ping_and_close.lua", "--target", fake.url(), "--out",
                        out, "--env", "TOKEN=t"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(metric(doc, "ws_ping", "count"), 5 * 3 * 10);
  EXPECT_NE(r.err.find("run started at"), std::string::npos) << "teardown() received setup()'s data";
  EXPECT_EQ(doc.at("run").at("env").at("TOKEN").as_string(), "***") << "secrets are masked in the report";
}

TEST(RunCommand, RefusedConnectionEverywhereExitsUnreachable) {
  auto out = temp_dir("refused");
  auto target = "ws://127.0.0.1:" + std::to_string(unused_port()) + "/";
  auto r = run_process({drover, "run", scenario("errors.lua"), "--target", target, "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(error_count(doc, "connection_refused"), 3u);
  EXPECT_EQ(metric(doc, "connect_failed_connection_refused", "count"), 3);
  EXPECT_EQ(doc.at("outcome").at("status").as_string(), "unreachable");
}

TEST(RunCommand, ServerThatNeverAnswersTheHandshakeTimesOut) {
  fake_process fake("echo", {"--fault", "no-handshake"});
  auto out = temp_dir("nohs");
  auto r = run_process({drover, "run", scenario("errors.lua"), "--target", fake.url(), "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(error_count(doc, "handshake_timeout"), 3u);
}

TEST(RunCommand, ServerCloseCodeAndReasonReachTheScript) {
  fake_process fake("echo");
  auto out = temp_dir("close");
  auto r = run_process(
      {drover, "run", scenario("close_code.lua"), "--target", fake.url("/?fault=close-1011"), "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  bool seen = false;
  for (const auto& c : doc.at("close_codes").as_array())
    if (c.at("code").to_number<int>() == 1011) seen = c.at("count").to_number<int>() == 2;
  EXPECT_TRUE(seen) << boost::json::serialize(doc.at("close_codes"));
}

TEST(RunCommand, LuaErrorEndsOneClientWithTracebackAndTheOthersGoOn) {
  fake_process fake("echo");
  auto out = temp_dir("luaerr");
  auto r = run_process({drover, "run", scenario("lua_error.lua"), "--target", fake.url(), "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(error_count(doc, "lua_error"), 1u);
  std::string sample;
  for (const auto& e : doc.at("errors").as_array())
    if (e.at("kind").as_string() == "lua_error") sample = e.at("samples").at(0).as_string().c_str();
  EXPECT_NE(sample.find("lua_error.lua:5"), std::string::npos) << sample;
  EXPECT_NE(sample.find("stack traceback"), std::string::npos) << sample;
  for (const auto& c : doc.at("checks").as_array()) {
    EXPECT_EQ(c.at("passes").to_number<int>(), 4);
    EXPECT_EQ(c.at("fails").to_number<int>(), 0);
  }
}

TEST(RunCommand, BreachedThresholdExitsOne) {
  fake_process fake("echo", {"--fault", "slow-ack"});
  auto out = temp_dir("threshold");
  auto r = run_process({drover, "run", root + "/scenarios/examples/echo.lua", "--target", fake.url(), "--vus", "2",
                        "--duration", "2s", "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_EQ(doc.at("outcome").at("status").as_string(), "thresholds_breached");
  bool breached = false;
  for (const auto& t : doc.at("thresholds").as_array())
    if (t.at("metric").as_string() == "echo_rtt") breached = !t.at("ok").as_bool();
  EXPECT_TRUE(breached);
}

TEST(RunCommand, OversizedAndResetAreCountedAndTheRunGoesOn) {
  fake_process fake("echo");
  auto out = temp_dir("rude");
  auto r = run_process({drover, "run", scenario("errors.lua"), "--target", fake.url("/?fault=oversized"),
                        "--max-message", "1048576", "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(error_count(load_summary(out), "message_too_big"), 3u);
  r = run_process({drover, "run", scenario("errors.lua"), "--target", fake.url("/?fault=reset"), "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(error_count(load_summary(out), "reset"), 3u);
}

TEST(RunCommand, EchoFaultsAreVisibleToScripts) {
  fake_process fake("echo");
  auto out = temp_dir("faults");
  auto run_fault = [&](const std::string& fault) {
    auto r = run_process({drover, "run", scenario("faults.lua"), "--target", fake.url("/?fault=" + fault), "--out", out,
                          "--quiet"});
    return std::make_pair(r.exit_code, load_summary(out));
  };
  auto [code401, doc401] = run_fault("reject-401");
  EXPECT_EQ(code401, 3);
  EXPECT_EQ(metric(doc401, "status_401", "count"), 1);
  EXPECT_EQ(error_count(doc401, "handshake_rejected"), 1u);
  auto [code_noack, doc_noack] = run_fault("no-ack");
  EXPECT_EQ(code_noack, 0);
  EXPECT_EQ(metric(doc_noack, "recv_timeout", "count"), 1);
  auto [code_ping, doc_ping] = run_fault("ping");
  EXPECT_EQ(code_ping, 0);
  EXPECT_GE(metric(doc_ping, "server_pings", "count"), 2);
  auto [code_bad, doc_bad] = run_fault("bad-json");
  EXPECT_EQ(code_bad, 0);
  EXPECT_EQ(metric(doc_bad, "string_answer", "count"), 1);
}

TEST(RunCommand, InterruptKeepsResultsAndExits130) {
  fake_process fake("echo");
  auto out = temp_dir("sigint");
  child_process run({drover, "run", scenario("long_echo.lua"), "--target", fake.url(), "--out", out, "--quiet"});
  // Interrupt once messages flow (the scenario says so), however long a busy machine takes.
  ASSERT_EQ(run.wait_for_line("echoing", std::chrono::seconds(60)), "echoing");
  // File times come from the kernel's coarse clock (a tick behind at most): allow 20 ms.
  auto interrupted_at = std::filesystem::file_time_type::clock::now() - std::chrono::milliseconds(20);
  run.signal(SIGINT);
  EXPECT_EQ(run.wait(std::chrono::seconds(60)), 130);
  auto doc = load_summary(out);
  EXPECT_TRUE(doc.at("run").at("interrupted").as_bool());
  EXPECT_GT(metric(doc, "ws_msgs_received", "count"), 0);
  // Every output is written after the interrupt, not left over from a progress tick.
  for (const char* name : {"summary.json", "report.html", "junit.xml"}) {
    auto path = std::filesystem::path(out) / name;
    ASSERT_TRUE(std::filesystem::exists(path)) << name;
    EXPECT_GE(std::filesystem::last_write_time(path), interrupted_at) << name << " was written before the interrupt";
    EXPECT_GT(std::filesystem::file_size(path), 100u) << name;
  }
  EXPECT_NE(read_file(out + "/junit.xml").find("<testsuite"), std::string::npos);
  EXPECT_NE(read_file(out + "/report.html").find("</html>"), std::string::npos);
}

TEST(RunCommand, OneInvalidMessageAmongValidOnesIsExactlyOneViolation) {
  fake_process fake("echo");
  auto out = temp_dir("validate");
  auto r = run_process({drover, "run", scenario("one_invalid.lua"), "--target", fake.url(), "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = load_summary(out);
  EXPECT_TRUE(summary_schema_violations(doc).empty()) << summary_schema_violations(doc).front();
  const auto& validation = doc.at("validation").as_object();
  const auto& violations = validation.at("violations").as_array();
  ASSERT_EQ(violations.size(), 1u) << boost::json::serialize(validation);
  EXPECT_EQ(violations[0].at("pointer").as_string(), "/d/val");
  EXPECT_EQ(violations[0].at("keyword").as_string(), "type");
  EXPECT_EQ(violations[0].at("type").as_string(), "SUBMIT");
  EXPECT_EQ(violations[0].at("direction").as_string(), "sent");
  std::int64_t invalid = 0, count = 0;
  for (const auto& m : validation.at("messages").as_array()) {
    invalid += m.at("invalid").to_number<std::int64_t>();
    count += m.at("count").to_number<std::int64_t>();
  }
  EXPECT_EQ(invalid, 1);
  EXPECT_EQ(count, 9);
}

TEST(RunCommand, ValidateCommandReportsPointerAndExitCodes) {
  auto dir = temp_dir("validatecmd");
  std::ofstream(dir + "/good.json") << R"({"op":2,"d":{"heartbeat_interval":40000}})";
  std::ofstream(dir + "/bad.json") << R"({"op":2,"d":{"heartbeat_interval":"soon"}})";
  auto r = run_process({drover, "validate", "wearable", dir + "/good.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run_process({drover, "validate", "wearable", dir + "/good.json", dir + "/bad.json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("/d/heartbeat_interval"), std::string::npos) << r.out;
  r = run_process({drover, "validate", "wearable", dir + "/missing.json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  r = run_process({drover, "protocols"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"widb", "wearable", "remotedev", "datakraken", "vstats"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
}

struct usage_case {
  std::vector<std::string> args;
  std::string says;
};

TEST(RunCommand, BadInputIsAOneLineErrorWithExitTwo) {
  std::vector<usage_case> cases = {
      {{"run", root + "/scenarios/examples/echo.lua", "--bogus"}, "--bogus"},
      {{"run", root + "/scenarios/examples/echo.lua", "--vus", "0"}, "--vus"},
      {{"run", root + "/scenarios/examples/echo.lua", "--duration", "soon"}, "'soon' is not a duration"},
      {{"run", root + "/scenarios/examples/echo.lua", "--target", "http://x/"}, "ws:// or wss://"},
      {{"run", "/nonexistent/scenario.lua"}, "does not exist"},
      {{"run", scenario("syntax_error.lua")}, "syntax_error.lua:3"},
      {{"run", root + "/scenarios/examples/echo.lua", "--env", "NOEQUALS"}, "KEY=VALUE"},
      {{"frobnicate"}, "frobnicate"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {drover};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto r = run_process(argv, std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 2) << c.args.back() << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(RunCommand, VersionAndHelp) {
  auto r = run_process({drover, "version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("drover ", 0), 0u) << r.out;
  r = run_process({drover, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("run"), std::string::npos);
}

}  // namespace
}  // namespace drover::test
