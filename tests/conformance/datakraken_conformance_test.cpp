// The DataKraken conformance suite (scenarios/datakraken/) against the DataKraken fake: the
// correct fake gives no FAILED case (with the documented 15 s ttl too, well within a minute),
// each fault of fakes/README.md's "## datakraken" table fails exactly the cases its "cases that
// must fail" cell lists (the variant fault makes its cases NON-STRICT instead), and every case
// of the suite is failed by some fault or named, with its reason, on the "No fault reaches" line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/conformance/suite_runner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace drover::testing;

constexpr const char* section = "## datakraken";

// A short ttl keeps 2.4 and 2.5 (which wait out a ttl) at about 2.5 s. Whole seconds: the
// ticket answer's ttl is an integer.
running_fake datakraken_fake(std::vector<std::string> extra = {}, const std::string& ttl = "2s") {
  std::vector<std::string> args = {"--threads", "2", "--ticket-ttl", ttl};
  args.insert(args.end(), extra.begin(), extra.end());
  return running_fake("datakraken", args);
}

fs::path dir_for(const std::string& name) { return fresh_dir("drover-datakraken-conformance", name); }

conform_result run_suite(const std::string& target, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"datakraken", "--target", target, "--suite",
                                   std::string(DROVER_SOURCE_ROOT) + "/scenarios/datakraken/suite.lua"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_conform(args, out);
}

// The raw "cases that must fail" cell of a fault's row (the last cell of its line).
std::string raw_cases_cell(const std::string& fault) {
  std::ifstream in(fakes_readme());
  std::string line;
  bool in_section = false;
  const std::string start = "| `" + fault + "` |";
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line.rfind(section, 0) == 0;
    if (!in_section || line.rfind(start, 0) != 0) continue;
    std::string body = line.substr(0, line.find_last_not_of(" |") + 1);
    return body.substr(body.rfind('|') + 1);
  }
  return {};
}

// A row whose cell says NON-STRICT names a variant: its cases must be NON-STRICT, none FAILED.
bool is_variant(const fault_row& row) { return raw_cases_cell(row.fault).find("NON-STRICT") != std::string::npos; }

// Backticked `key=value` words of a row's cell are added to the target's query (the fake reads
// e.g. listeners=click from it: a fault that only shows with one listener says so there).
std::string extra_query(const fault_row& row) {
  std::string cell = raw_cases_cell(row.fault), out;
  for (std::size_t open = cell.find('`'); open != std::string::npos; open = cell.find('`', open)) {
    std::size_t close = cell.find('`', open + 1);
    if (close == std::string::npos) break;
    std::string word = cell.substr(open + 1, close - open - 1);
    if (word.find('=') != std::string::npos && word.find(' ') == std::string::npos) out += "&" + word;
    open = close + 1;
  }
  return out;
}

TEST(DatakrakenConformance, CorrectFakePassesEveryCaseInUnderFifteenSeconds) {
  auto fake = datakraken_fake();
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/ws"), dir_for("correct"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 15u) << r.log;
  expect_exactly_failed(r, "datakraken", {}, "correct fake");
  EXPECT_EQ(r.received_valid, 0) << "the server sent frames (it sends nothing but pings)";
  EXPECT_LT(r.seconds, 15.0) << r.log;
}

// The documented ttl (15 s): the cases that wait it out run beside the others, so the suite
// stays well under a minute against a real server.
TEST(DatakrakenConformance, DocumentedTtlSuiteFinishesInUnderFortySeconds) {
  auto fake = datakraken_fake({}, "15s");
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/ws"), dir_for("ttl15"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  expect_exactly_failed(r, "datakraken", {}, "ttl 15 s");
  EXPECT_GT(r.seconds, 15.0) << "2.4 and 2.5 wait out the 15 s ttl\n" << r.log;
  EXPECT_LT(r.seconds, 40.0) << r.log;
}

// Sessions that listen to one event type only: 3.2 then sends a real unlisted type, and the
// other cases send only what is listed.
TEST(DatakrakenConformance, FakeWithOneListenerPassesEveryCase) {
  for (const std::string listeners : {"click", "mousemove"}) {
    auto fake = datakraken_fake({"--listeners", listeners});
    ASSERT_FALSE(fake.port.empty());
    auto r = run_suite(fake.url("/ws"), dir_for("listeners-" + listeners));
    EXPECT_EQ(r.exit_code, 0) << listeners << "\n" << r.log;
    expect_exactly_failed(r, "datakraken", {}, "--listeners " + listeners);
  }
}

// The target may name the server without the socket's path; the suite finds /ws in the answer.
TEST(DatakrakenConformance, TargetWithoutThePathWorksToo) {
  auto fake = datakraken_fake();
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(""), dir_for("no-path"), {"--case", "1.*,3.4,4.1"});
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(r.verdicts.size(), 4u) << r.log;
  EXPECT_EQ(r.failed(), std::set<std::string>{}) << r.log;
}

TEST(DatakrakenConformance, FaultTableIsReadable) { EXPECT_FALSE(read_fault_table(fakes_readme(), section).empty()); }

// Both directions: every fault the fake offers has a row, every row names a fault of the fake
// and lists at least one case.
TEST(DatakrakenConformance, FaultTableCoversEveryFakeFault) {
  auto offered = offered_faults({"datakraken"}, dir_for("list-faults"));
  EXPECT_GE(offered.size(), 15u);
  for (const auto& problem : table_mismatches(offered, table_or_empty(section))) ADD_FAILURE() << problem;
}

// Every case of the suite can fail: some fault's row lists it as failing (a variant row does
// not count), or the "No fault reaches:" line names it with a reason.
TEST(DatakrakenConformance, EveryCaseIsReachedByAFaultOrHasAStatedReason) {
  auto fake = datakraken_fake();
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/ws"), dir_for("reach"));
  ASSERT_FALSE(r.verdicts.empty()) << r.log;
  std::vector<fault_row> failing;
  for (const auto& row : table_or_empty(section))
    if (!is_variant(row)) failing.push_back(row);
  expect_every_case_reachable(r, failing, unreachable_cases(section));
}

// A fault given per run (--fault) acts like the same fault per session (?fault=).
TEST(DatakrakenConformance, RunWideFaultFailsTheSameCases) {
  const fault_row* row = nullptr;
  auto rows = table_or_empty(section);
  for (const auto& r : rows)
    if (r.fault == "lose-events") row = &r;
  ASSERT_NE(row, nullptr) << "the table has no lose-events row";
  auto fake = datakraken_fake({"--fault", row->fault});
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/ws"), dir_for("run-wide"));
  EXPECT_EQ(r.failed(), std::set<std::string>(row->cases.begin(), row->cases.end())) << r.log;
}

class DatakrakenFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(DatakrakenFault, FailsExactlyItsCases) {
  const fault_row& row = GetParam();
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  auto fake = datakraken_fake();
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/ws?fault=" + row.fault + extra_query(row)), dir_for(row.fault));
  ASSERT_FALSE(r.verdicts.empty()) << "no summary.json cases; console:\n" << r.log;
  std::set<std::string> listed(row.cases.begin(), row.cases.end());
  if (is_variant(row)) {
    EXPECT_EQ(r.with({"NON-STRICT"}), listed) << "fault " << row.fault << "\n" << r.log;
    EXPECT_EQ(r.failed(), std::set<std::string>{}) << "fault " << row.fault << "\n" << r.log;
    EXPECT_EQ(r.reported(), suite_cases("datakraken")) << r.log;
    EXPECT_EQ(r.exit_code, 0) << "NON-STRICT does not fail the run\n" << r.log;
    return;
  }
  expect_exactly_failed(r, "datakraken", listed, "fault " + row.fault);
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

INSTANTIATE_TEST_SUITE_P(Table, DatakrakenFault, ::testing::ValuesIn(table_or_empty(section)), fault_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DatakrakenFault);

}  // namespace
