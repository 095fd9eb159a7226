// `drover report compare` end to end: real `drover run` and `drover conform` results against the
// fakes, compared by the real binary. Two runs of one scenario against `drover fake echo` stay
// within the default noise band (exit 0 under a --fail-on rule); the same scenario against the
// slow-ack fault (answers 500 ms late) is flagged and breaks the rule (exit 1); a conform run
// against a faulty wearable fake shows the changed verdicts first; server text stays escaped in
// compare.html; bad inputs are exit 2 naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include <boost/json.hpp>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

struct scratch {
  std::string dir = temp_dir("drover-compare-it");
  ~scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// The echo example, short: 5 clients for 2 s, one worker.
std::vector<std::string> echo_run(const fake_process& fake, const std::string& out) {
  return {drover, "run", root + "/scenarios/examples/echo.lua", "--target", fake.url("/"), "--vus", "5",
          "--duration", "2s", "--ramp-up", "0s", "--workers", "1", "--quiet", "--out", out};
}

json::object load_json(const std::string& file) { return json::parse(read_file(file)).as_object(); }

const json::object& row_of(const json::object& compare, const std::string& metric, const std::string& agg) {
  for (const auto& r : compare.at("rows").as_array()) {
    const auto& o = r.as_object();
    if (o.at("metric").as_string() == metric && o.at("aggregation").as_string() == agg) return o;
  }
  throw std::runtime_error("no row " + metric + "." + agg);
}

TEST(ReportCompare, SameScenarioIsWithinNoiseAndTheSlowAckRunIsFlagged) {
  scratch s;
  fake_process echo("echo");
  fake_process slow("echo", {"--fault", "slow-ack"});
  const std::string a = s.dir + "/a", b = s.dir + "/b", late = s.dir + "/slow";
  // The slow run goes beside the first normal one (separate fakes); the second normal run after.
  child_process slow_run(echo_run(slow, late));
  auto first = run_process(echo_run(echo, a), std::chrono::seconds(120));
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto second = run_process(echo_run(echo, b), std::chrono::seconds(120));
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  // echo.lua's threshold echo_rtt.p99 < 250 breaks against answers 500 ms late.
  ASSERT_EQ(slow_run.wait(std::chrono::seconds(120)), 1);

  // Same build, same server: within noise, the rules hold (p50: a single scheduling stall of a
  // loaded machine moves a p99 of ~100 samples, not their median).
  auto same = run_process({drover, "report", "compare", a, b + "/summary.json", "--fail-on", "echo_rtt.p50 +50%",
                           "--fail-on", "checks.rate -1%", "--out", s.dir + "/same"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  const auto same_json = load_json(s.dir + "/same/compare.json");
  EXPECT_EQ(same_json.at("kind").as_string(), "run");
  EXPECT_EQ(row_of(same_json, "echo_rtt", "p50").at("mark").as_string(), "within noise");
  EXPECT_EQ(row_of(same_json, "checks", "rate").at("mark").as_string(), "within noise");
  EXPECT_EQ(row_of(same_json, "threshold:echo_rtt.p99 < 250", "ok").at("mark").as_string(), "unchanged");
  for (const auto& rule : same_json.at("rules").as_array()) EXPECT_FALSE(rule.at("broken").as_bool()) << rule;

  // Against slow-ack: flagged, and the p99 rule breaks, named with both values.
  auto flagged = run_process({drover, "report", "compare", a, late, "--fail-on", "echo_rtt.p99 +50%", "--out",
                              s.dir + "/flagged"});
  EXPECT_EQ(flagged.exit_code, 1) << flagged.out << flagged.err;
  EXPECT_NE(flagged.out.find("echo_rtt.p99 +50%: "), std::string::npos) << flagged.out;
  EXPECT_NE(flagged.out.find("allowed +50%"), std::string::npos) << flagged.out;
  const auto flagged_json = load_json(s.dir + "/flagged/compare.json");
  const auto& p99 = row_of(flagged_json, "echo_rtt", "p99");
  EXPECT_EQ(p99.at("mark").as_string(), "regression");
  EXPECT_GE(p99.at("new").to_number<double>(), 450);
  EXPECT_EQ(row_of(flagged_json, "echo_rtt", "p50").at("mark").as_string(), "regression");
  EXPECT_EQ(row_of(flagged_json, "ws_msgs_received", "count").at("mark").as_string(), "regression");
  EXPECT_EQ(row_of(flagged_json, "threshold:echo_rtt.p99 < 250", "ok").at("mark").as_string(), "regression");
  const auto& rule = flagged_json.at("rules").as_array().at(0).as_object();
  EXPECT_TRUE(rule.at("broken").as_bool());
  EXPECT_EQ(rule.at("base").to_number<double>(), p99.at("base").to_number<double>());

  // A rule before the paths takes one argument: the paths stay paths.
  EXPECT_EQ(run_process({drover, "report", "compare", "--fail-on", "echo_rtt.p99 +50%", a, late}).exit_code, 1);

  // No rule: regressions are reported, the exit code stays 0 unless --fail-on-regression.
  EXPECT_EQ(run_process({drover, "report", "compare", a, late}).exit_code, 0);
  EXPECT_EQ(run_process({drover, "report", "compare", a, late, "--fail-on-regression"}).exit_code, 1);
}

std::vector<std::string> wearable_conform(const fake_process& fake, const std::string& out) {
  return {drover, "conform", "wearable", "--target", fake.url("/"), "--quiet", "--out", out,
          "--env", "IDENTIFY_TIMEOUT_MS=1000", "--env", "RESPONSE_TIMEOUT_MS=1500"};
}

TEST(ReportCompare, ConformRunsShowChangedVerdictsFirstAndSideBySide) {
  scratch s;
  const std::vector<std::string> timers = {"--heartbeat-interval", "500", "--identify-timeout", "1000"};
  fake_process good("wearable", timers);
  auto faulty_args = timers;
  faulty_args.insert(faulty_args.end(), {"--fault", "no-ack"});
  fake_process faulty("wearable", faulty_args);
  const std::string ok_dir = s.dir + "/ok", bad_dir = s.dir + "/no-ack";
  child_process bad_run(wearable_conform(faulty, bad_dir));
  auto ok_run = run_process(wearable_conform(good, ok_dir), std::chrono::seconds(180));
  ASSERT_EQ(ok_run.exit_code, 0) << ok_run.out << ok_run.err;
  ASSERT_EQ(bad_run.wait(std::chrono::seconds(180)), 1);  // cases FAILED

  auto compared = run_process({drover, "report", "compare", ok_dir, bad_dir, "--out", s.dir + "/cmp"});
  EXPECT_EQ(compared.exit_code, 0) << compared.out << compared.err;  // no gate given
  const auto j = load_json(s.dir + "/cmp/compare.json");
  EXPECT_EQ(j.at("kind").as_string(), "conform");
  const auto& cases = j.at("cases").as_array();
  ASSERT_FALSE(cases.empty());
  // Changed rows first, unchanged rows last; among the changed, cases OK against the good fake
  // and FAILED against no-ack, marked regression.
  const auto& first = cases.front().as_object();
  EXPECT_TRUE(first.at("differs").as_bool());
  EXPECT_FALSE(cases.back().at("differs").as_bool());
  int ok_to_failed = 0;
  for (const auto& c : cases) {
    const auto& v = c.at("verdicts").as_array();
    if (v[0] == "OK" && v[1] == "FAILED") {
      ++ok_to_failed;
      EXPECT_EQ(c.at("mark").as_string(), "regression") << c;
    }
  }
  EXPECT_GT(ok_to_failed, 0) << j;
  bool seen_unchanged = false;
  for (const auto& c : cases) {
    if (!c.at("differs").as_bool()) seen_unchanged = true;
    else EXPECT_FALSE(seen_unchanged) << "a changed case after an unchanged one: " << c;
  }
  EXPECT_GT(j.at("counts").at("regression").as_int64(), 0);
  // The terminal lists the changed case first, with both verdicts.
  const auto first_id = std::string(first.at("id").as_string());
  const auto cases_at = compared.out.find("\ncases");
  ASSERT_NE(cases_at, std::string::npos) << compared.out;
  const auto first_line = compared.out.substr(compared.out.find('\n', cases_at + 1) + 1);
  EXPECT_EQ(first_line.rfind("  " + first_id + " ", 0), 0u) << compared.out;
  EXPECT_NE(first_line.substr(0, first_line.find('\n')).find("FAILED"), std::string::npos) << compared.out;

  EXPECT_EQ(run_process({drover, "report", "compare", ok_dir, bad_dir, "--fail-on-regression"}).exit_code, 1);

  // Three runs side by side: one verdict column each.
  auto matrix = run_process({drover, "report", "compare", ok_dir, bad_dir, ok_dir, "--out", s.dir + "/matrix"});
  EXPECT_EQ(matrix.exit_code, 0) << matrix.out << matrix.err;
  const auto m = load_json(s.dir + "/matrix/compare.json");
  EXPECT_EQ(m.at("documents").as_array().size(), 3u);
  EXPECT_EQ(m.at("cases").as_array().front().at("verdicts").as_array().size(), 3u);
  const auto html = read_file(s.dir + "/matrix/compare.html");
  EXPECT_NE(html.find("verdict-failed\">FAILED"), std::string::npos);
  EXPECT_NE(html.find("verdict-ok\">OK"), std::string::npos);
}

TEST(ReportCompare, ServerTextInTheComparisonStaysEscapedInCompareHtml) {
  scratch s;
  fake_process echo("echo");
  const std::string script = "<script>window.__drover_pwned=1</script>";
  const std::string attribute = "\"><img src=x onerror=window.__drover_pwned=2>";
  auto run_with = [&](const std::string& hostile, const std::string& out) {
    // The echo fake answers the hostile payload as is; a check fails on each answer with it.
    return run_process({drover, "run", root + "/tests/browser/hostile_echo.lua", "--target", echo.url("/"),
                        "--quiet", "--out", out, "--env", "HOSTILE=" + hostile});
  };
  ASSERT_EQ(run_with("plain", s.dir + "/base").exit_code, 1);
  ASSERT_EQ(run_with(script + " " + attribute, s.dir + "/new").exit_code, 1);
  ASSERT_NE(read_file(s.dir + "/new/summary.json").find("onerror=window.__drover_pwned=2"), std::string::npos);

  auto compared = run_process({drover, "report", "compare", s.dir + "/base", s.dir + "/new", "--out", s.dir + "/cmp"});
  ASSERT_EQ(compared.exit_code, 0) << compared.out << compared.err;
  const auto html = read_file(s.dir + "/cmp/compare.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  // The server's text is there, as text.
  EXPECT_NE(html.find("&lt;script&gt;window.__drover_pwned=1&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("onerror=window.__drover_pwned=2"), std::string::npos);
}

TEST(ReportCompare, BadInputsAreUsageErrorsNamingTheFile) {
  scratch s;
  const std::string missing = s.dir + "/missing";
  auto r = run_process({drover, "report", "compare", missing, missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(missing + ": no such file or folder"), std::string::npos) << r.err;

  const std::string broken = s.dir + "/broken.json";
  std::ofstream(broken) << "{\"tool\": {\"name\": \"drover\"";
  r = run_process({drover, "report", "compare", broken, broken});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(broken + ": not valid JSON"), std::string::npos) << r.err;

  // A run against a conform result.
  const std::string run_doc = s.dir + "/run.json", conform_doc = s.dir + "/conform.json";
  std::ofstream(run_doc) << R"({"tool":{"name":"drover","version":"x"},"command":"run","metrics":{}})";
  std::ofstream(conform_doc) << R"({"tool":{"name":"drover","version":"x"},"command":"conform","metrics":{},"cases":[]})";
  r = run_process({drover, "report", "compare", run_doc, conform_doc});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(conform_doc + " is a drover conform result but " + run_doc + " is a drover run result"),
            std::string::npos)
      << r.err;

  // Bad rule text: the rule and what was expected.
  r = run_process({drover, "report", "compare", run_doc, run_doc, "--fail-on", "echo_rtt.p99 10%"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--fail-on \"echo_rtt.p99 10%\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected METRIC.AGGREGATION"), std::string::npos) << r.err;

  // One document only.
  r = run_process({drover, "report", "compare", run_doc});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace drover::test
