// The WiDB conformance suite (scenarios/widb/) against the WiDB fake: the correct fake gives no
// FAILED case, each fault of fakes/README.md's "## widb" table fails exactly the cases its
// "cases that must fail" cell lists, and every case of the suite is failed by some fault or is
// named, with its reason, on the table's "No fault reaches" line.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/conformance/suite_runner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace drover::testing;

constexpr const char* section = "## widb";

running_fake widb_fake(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--threads", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  return running_fake("widb", args);
}

fs::path dir_for(const std::string& name) { return fresh_dir("drover-widb-conformance", name); }

conform_result run_suite(const std::string& target, const fs::path& out) {
  return run_conform({"widb", "--target", target, "--suite", std::string(DROVER_SOURCE_ROOT) + "/scenarios/widb/suite.lua"},
                     out);
}

// Every frame the correct fake sent validates against schemas/widb/server/ (logData entries as
// objects or strings, forwarded deviceMetrics).
void expect_valid_frames(const conform_result& r) {
  EXPECT_GT(r.received_valid, 10) << "the suite validated the server's frames (--protocol widb)";
  for (const auto& [type, invalid] : r.received_invalid) EXPECT_EQ(invalid, 0) << type << " frames failed their schema";
}

TEST(WidbConformance, CorrectFakePassesEveryCaseInUnderTenSeconds) {
  auto fake = widb_fake();
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/ws"), dir_for("correct"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 15u) << r.log;
  expect_exactly_failed(r, "widb", {}, "correct fake");
  expect_valid_frames(r);
  EXPECT_LT(r.seconds, 10.0) << r.log;
}

// The real server's entry shape (rendered rows, lines merged): the suite judges texts, not shapes.
TEST(WidbConformance, FakeWithHtmlEntriesPassesEveryCase) {
  auto fake = widb_fake({"--entries", "html"});
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/ws"), dir_for("html"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 15u) << r.log;
  expect_exactly_failed(r, "widb", {}, "--entries html");
  expect_valid_frames(r);
}

TEST(WidbConformance, FaultTableIsReadable) { EXPECT_FALSE(read_fault_table(fakes_readme(), section).empty()); }

// Both directions: every fault the fake offers has a row, every row names a fault of the fake
// and lists at least one case.
TEST(WidbConformance, FaultTableCoversEveryFakeFault) {
  auto offered = offered_faults({"widb"}, dir_for("list-faults"));
  EXPECT_GE(offered.size(), 9u);
  for (const auto& problem : table_mismatches(offered, table_or_empty(section))) ADD_FAILURE() << problem;
}

// Every case of the suite can fail: some fault's row lists it, or the "No fault reaches:" line
// names it (with a reason); a case named there must not also be in a row.
TEST(WidbConformance, EveryCaseIsReachedByAFaultOrHasAStatedReason) {
  auto fake = widb_fake();
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/ws"), dir_for("reach"));
  ASSERT_FALSE(r.verdicts.empty()) << r.log;
  expect_every_case_reachable(r, table_or_empty(section), unreachable_cases(section));
}

// A fault given per run (--fault) acts like the same fault per connection (?fault=).
TEST(WidbConformance, RunWideFaultFailsTheSameCases) {
  const fault_row* row = nullptr;
  auto rows = table_or_empty(section);
  for (const auto& r : rows)
    if (r.fault == "entries-lost") row = &r;
  ASSERT_NE(row, nullptr) << "the table has no entries-lost row";
  auto fake = widb_fake({"--fault", row->fault});
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/ws"), dir_for("run-wide"));
  EXPECT_EQ(r.failed(), std::set<std::string>(row->cases.begin(), row->cases.end())) << r.log;
}

class WidbFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(WidbFault, FailsExactlyItsCases) {
  const fault_row& row = GetParam();
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  auto fake = widb_fake();
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/ws?fault=" + row.fault), dir_for(row.fault));
  ASSERT_FALSE(r.verdicts.empty()) << "no summary.json cases; console:\n" << r.log;
  expect_exactly_failed(r, "widb", {row.cases.begin(), row.cases.end()}, "fault " + row.fault);
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

INSTANTIATE_TEST_SUITE_P(Table, WidbFault, ::testing::ValuesIn(table_or_empty(section)), fault_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(WidbFault);

}  // namespace
