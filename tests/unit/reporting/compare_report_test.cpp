// drover report compare end to end in-process (reporting/compare_report.hpp, compare_input.hpp):
// reading documents and the errors that name the file, the exit code's gates, and the three
// writers (terminal, compare.json, compare.html) with hostile text from the documents.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/reporting/compare_report.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting::compare {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>\x1b[2J";

fs::path scratch_root() { return fs::temp_directory_path() / ("drover-compare-unit-" + std::to_string(::getpid())); }

// This process's scratch folders go when it exits (ctest runs each test in a process of its own).
struct scratch_cleanup {
  ~scratch_cleanup() {
    std::error_code ec;
    fs::remove_all(scratch_root(), ec);
  }
} scratch_cleanup_at_exit;

fs::path write(const std::string& name, const std::string& text) {
  const auto file = scratch_root() / name;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

json::object run_doc(double p99, const std::string& target = "ws://127.0.0.1:1/") {
  json::object trend{{"type", "trend"}, {"unit", "ms"}, {"count", 10}, {"mean", p99 / 2}, {"p50", p99 / 2},
                     {"p90", p99},      {"p95", p99},   {"p99", p99},  {"max", p99}};
  return json::object{{"tool", json::object{{"name", "drover"}, {"version", "t"}}},
                      {"command", "run"},
                      {"run", json::object{{"target", target}}},
                      {"outcome", json::object{{"status", "passed"}}},
                      {"metrics", json::object{{"echo_rtt", trend}}},
                      {"checks", json::array{json::object{{"name", hostile}, {"passes", 1}, {"fails", 0}}}},
                      {"thresholds", json::array{}},
                      {"errors", json::array{}},
                      {"close_codes", json::array{}}};
}

json::object conform_doc(const char* verdict) {
  json::object doc{{"tool", json::object{{"name", "drover"}, {"version", "t"}}},
                   {"command", "conform"},
                   {"run", json::object{{"target", "ws://h/" + hostile}}},
                   {"metrics", json::object{}},
                   {"cases", json::array{json::object{{"id", "1.1"}, {"title", hostile}, {"verdict", verdict}}}}};
  return doc;
}

compared_document doc_of(json::object doc, const std::string& label) {
  compared_document d;
  d.label = label;
  d.file = label + "/summary.json";
  d.command = std::string(doc["command"].as_string());
  d.doc = std::move(doc);
  return d;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const usage_error& e) {
    return e.what();
  }
  return "(no usage_error)";
}

TEST(CompareInput, ReadsAFileOrAFolderHoldingSummaryJson) {
  const auto file = write("folder/summary.json", json::serialize(run_doc(1)));
  EXPECT_EQ(read_compared_document(file.string()).command, "run");
  const auto from_dir = read_compared_document(file.parent_path().string());
  EXPECT_EQ(from_dir.file, file);
  EXPECT_EQ(from_dir.label, file.parent_path().string());
}

TEST(CompareInput, BadInputsAreUsageErrorsNamingTheFile) {
  const auto missing = (scratch_root() / "nope").string();
  EXPECT_NE(error_of([&] { read_compared_document(missing); }).find(missing + ": no such file"), std::string::npos);
  const auto empty_dir = scratch_root() / "empty";
  fs::create_directories(empty_dir);
  EXPECT_NE(error_of([&] { read_compared_document(empty_dir.string()); }).find("summary.json: cannot read"),
            std::string::npos);
  const auto broken = write("broken.json", "{\"tool\": ");
  EXPECT_NE(error_of([&] { read_compared_document(broken.string()); }).find(broken.string() + ": not valid JSON"),
            std::string::npos);
  const auto other = write("other.json", "{\"name\": \"something else\"}");
  EXPECT_NE(error_of([&] { read_compared_document(other.string()); }).find("not a drover result document"),
            std::string::npos);
  const auto array = write("array.json", "[1, 2]");
  EXPECT_NE(error_of([&] { read_compared_document(array.string()); }).find("not a drover result document"),
            std::string::npos);
  auto no_cases = conform_doc("OK");
  no_cases.erase("cases");
  const auto conform_file = write("nocases.json", json::serialize(no_cases));
  EXPECT_NE(error_of([&] { read_compared_document(conform_file.string()); }).find("without a \"cases\" array"),
            std::string::npos);
}

TEST(CompareInput, MixedKindsAndMoreThanTwoRunsAreRefused) {
  std::vector<compared_document> mixed;
  mixed.push_back(doc_of(run_doc(1), "a"));
  mixed.push_back(doc_of(conform_doc("OK"), "b"));
  const auto why = error_of([&] { require_comparable(mixed); });
  EXPECT_NE(why.find("b/summary.json is a drover conform result but a/summary.json is a drover run result"),
            std::string::npos)
      << why;
  std::vector<compared_document> three;
  for (const char* l : {"a", "b", "c"}) three.push_back(doc_of(run_doc(1), l));
  EXPECT_NE(error_of([&] { require_comparable(three); }).find("runs compare two at a time"), std::string::npos);
}

std::vector<compared_document> runs(double base_p99, double new_p99) {
  std::vector<compared_document> docs;
  docs.push_back(doc_of(run_doc(base_p99), "base"));
  docs.push_back(doc_of(run_doc(new_p99), "new"));
  return docs;
}

TEST(CompareReport, RegressionsAloneExitZeroUnlessGated) {
  compare_options options;
  auto report = build_compare_report(runs(1, 600), options);
  EXPECT_GT(report.counts.regressions, 0);
  EXPECT_EQ(report.exit_code, 0);
  options.fail_on_regression = true;
  EXPECT_EQ(build_compare_report(runs(1, 600), options).exit_code, 1);
  EXPECT_EQ(build_compare_report(runs(1, 1.2), options).exit_code, 0);  // within noise
}

TEST(CompareReport, ABrokenRuleExitsOneAndIsNamedInTheOutputs) {
  compare_options options;
  options.rules.push_back(parse_fail_rule("echo_rtt.p99 +50%"));
  const auto held = build_compare_report(runs(1, 3), options);
  EXPECT_EQ(held.exit_code, 0);
  const auto broken = build_compare_report(runs(1, 600), options);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(broken.broken_rules, 1);
  const auto console = render_compare_console(broken, false);
  EXPECT_NE(console.find("echo_rtt.p99 +50%: 1.00 ms -> 600.0 ms"), std::string::npos) << console;
  EXPECT_NE(console.find("(exit 1)"), std::string::npos);
  const auto j = compare_json(broken);
  EXPECT_EQ(j.at("exit_code").as_int64(), 1);
  EXPECT_TRUE(j.at("rules").as_array()[0].at("broken").as_bool());
  EXPECT_EQ(j.at("rules").as_array()[0].at("new").as_double(), 600);
}

TEST(CompareReport, RulesOnConformResultsAreUsageErrors) {
  compare_options options;
  options.rules.push_back(parse_fail_rule("echo_rtt.p99 +50%"));
  std::vector<compared_document> docs;
  docs.push_back(doc_of(conform_doc("OK"), "a"));
  docs.push_back(doc_of(conform_doc("FAILED"), "b"));
  EXPECT_NE(error_of([&] { build_compare_report(std::move(docs), options); }).find("--fail-on-regression"),
            std::string::npos);
}

TEST(CompareReport, ConformRegressionsGateOnlyWithFailOnRegression) {
  compare_options options;
  auto make = [] {
    std::vector<compared_document> docs;
    docs.push_back(doc_of(conform_doc("OK"), "a"));
    docs.push_back(doc_of(conform_doc("FAILED"), "b"));
    return docs;
  };
  EXPECT_EQ(build_compare_report(make(), options).exit_code, 0);
  options.fail_on_regression = true;
  const auto report = build_compare_report(make(), options);
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_EQ(report.counts.regressions, 1);
  const auto j = compare_json(report);
  EXPECT_EQ(j.at("cases").as_array()[0].at("mark").as_string(), "regression");
  EXPECT_EQ(j.at("cases").as_array()[0].at("verdicts").as_array()[1].as_string(), "FAILED");
}

void expect_no_markup_from(const std::string& html) {
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

TEST(CompareHtml, RunPageEscapesDocumentTextAndCarriesEveryRow) {
  compare_options options;
  options.rules.push_back(parse_fail_rule("echo_rtt.p99 +50%"));
  auto docs = runs(1, 600);
  docs[1].file = "new/" + hostile + "/summary.json";
  // The server's answer that failed a check, shown under the check's fails row.
  auto& check = docs[1].doc["checks"].as_array()[0].as_object();
  check["fails"] = 1;
  check["first_failure"] = "{\"payload\":\"" + hostile + "\"}";
  const auto report = build_compare_report(std::move(docs), options);
  const auto html = render_compare_html(report);
  expect_no_markup_from(html);
  EXPECT_NE(html.find("prefers-color-scheme: dark"), std::string::npos);
  EXPECT_NE(html.find("mark-regression"), std::string::npos);
  EXPECT_NE(html.find("echo_rtt.p99"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"detail\">{&quot;payload&quot;:&quot;&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // nothing fetched
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST(CompareHtml, ConformPageShowsOneColumnPerRun) {
  std::vector<compared_document> docs;
  docs.push_back(doc_of(conform_doc("OK"), "a"));
  docs.push_back(doc_of(conform_doc("NON-STRICT"), "b"));
  docs.push_back(doc_of(conform_doc("FAILED"), "c"));
  const auto report = build_compare_report(std::move(docs), compare_options{});
  const auto html = render_compare_html(report);
  expect_no_markup_from(html);
  for (const char* badge : {"verdict-ok\">OK", "verdict-non-strict\">NON-STRICT", "verdict-failed\">FAILED"})
    EXPECT_NE(html.find(badge), std::string::npos) << badge;
  const auto console = render_compare_console(report, false);
  EXPECT_EQ(console.find('\x1b'), std::string::npos) << console;
  EXPECT_NE(console.find("NON-STRICT"), std::string::npos) << console;
  EXPECT_NE(console.find("regression"), std::string::npos) << console;
}

TEST(CompareOutputs, WritesCompareJsonAndHtmlIntoTheFolder) {
  const auto dir = scratch_root() / "out" / "nested";
  const auto report = build_compare_report(runs(1, 2), compare_options{});
  write_compare_outputs(report, dir);
  std::ifstream in(dir / "compare.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto j = json::parse(text.str()).as_object();
  EXPECT_EQ(j.at("kind").as_string(), "run");
  EXPECT_EQ(j.at("documents").as_array().size(), 2u);
  EXPECT_TRUE(fs::exists(dir / "compare.html"));
  const auto blocked = write("a-file", "x");
  EXPECT_THROW(write_compare_outputs(report, blocked / "sub"), file_error);
}

}  // namespace
}  // namespace drover::reporting::compare
