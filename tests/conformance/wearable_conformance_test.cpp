// The wearable conformance suite (scenarios/wearable/) against the wearable fake: the correct
// fake passes every case, and each fault of fakes/README.md's wearable table fails exactly the
// cases its "cases that must fail" cell lists. The table is the single source of truth.
// Every run must report every case of the suite (a dropped result is a failure), and every
// verdict counts: outside a row's cases only OK and INFORMATIONAL ("not judged") may appear.
// Every run gives SHUTDOWN_CMD (a kill of the fake), so 6.13 is judged in every run too.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/conformance/suite_runner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace drover::testing;

// Short timers so the whole suite runs in a few seconds; the suite reads the interval from
// HELLO and the identify timeout from IDENTIFY_TIMEOUT_MS.
constexpr const char* heartbeat_ms = "500";
constexpr const char* identify_ms = "1000";
constexpr const char* section = "## wearable";

running_fake wearable_fake() {
  return running_fake("wearable", {"--threads", "2", "--heartbeat-interval", heartbeat_ms, "--identify-timeout",
                                   identify_ms, "--consumer-limit", "2"});
}

fs::path dir_for(const std::string& name) { return fresh_dir("drover-conformance", name); }

std::string shutdown_cmd(const running_fake& fake) {
  return "SHUTDOWN_CMD=kill -TERM " + std::to_string(fake.process.pid());
}

// RESPONSE_TIMEOUT_MS: how long a case waits for a READY or a close that a fault withholds;
// 1.5 s is still generous on loopback and keeps the faulty runs short.
conform_result run_suite(const std::string& target, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"wearable", "--target", target,
                                   "--env", std::string("IDENTIFY_TIMEOUT_MS=") + identify_ms,
                                   "--env", "RESPONSE_TIMEOUT_MS=1500",
                                   "--suite", std::string(DROVER_SOURCE_ROOT) + "/scenarios/wearable/suite.lua"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_conform(args, out);
}

TEST(WearableConformance, CorrectFakePassesEveryCase) {
  auto fake = wearable_fake();
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/"), dir_for("correct"), {"--env", shutdown_cmd(fake)});
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(r.reported(), suite_cases("wearable")) << "every case of the suite reports once\n" << r.log;
  // scenarios/wearable/README.md: with SHUTDOWN_CMD and a consumer limit below 8 nothing is
  // INFORMATIONAL against a correct server.
  EXPECT_EQ(r.with({"INFORMATIONAL", "NON-STRICT", "UNIMPLEMENTED", "FAILED"}), std::set<std::string>{})
      << r.log;
}

// Without SHUTDOWN_CMD 6.13 cannot provoke a shutdown: INFORMATIONAL, as the README states.
TEST(WearableConformance, ShutdownCaseWithoutCommandIsInformational) {
  auto fake = wearable_fake();
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/"), dir_for("no-shutdown-cmd"), {"--case", "6.13"});
  EXPECT_EQ(r.verdicts, (std::map<std::string, std::string>{{"6.13", "INFORMATIONAL"}})) << r.log;
  EXPECT_EQ(r.exit_code, 0) << r.log;
}

// Every case can fail: each is in some fault's row.
TEST(WearableConformance, EveryCaseIsInSomeFaultsRow) {
  std::set<std::string> covered;
  for (const auto& row : table_or_empty(section)) covered.insert(row.cases.begin(), row.cases.end());
  auto defined = suite_cases("wearable");
  for (const auto& id : defined) EXPECT_TRUE(covered.count(id)) << "no fault of fakes/README.md fails case " << id;
  for (const auto& id : covered)
    EXPECT_TRUE(defined.count(id)) << "fakes/README.md names case " << id << ", the suite has none";
}

TEST(WearableConformance, FaultTableIsReadable) {
  auto rows = read_fault_table(fakes_readme(), section);
  EXPECT_FALSE(rows.empty());
}

// Both directions: every fault the fake offers has a row, every row names a fault of the fake,
// and every row lists at least one case.
TEST(WearableConformance, FaultTableCoversEveryFakeFault) {
  auto offered = offered_faults({"wearable"}, dir_for("list-faults"));
  for (const auto& problem : table_mismatches(offered, table_or_empty(section))) ADD_FAILURE() << problem;
}

class WearableFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(WearableFault, FailsExactlyItsCases) {
  const fault_row& row = GetParam();
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  auto fake = wearable_fake();
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/?fault=" + row.fault), dir_for(row.fault), {"--env", shutdown_cmd(fake)});
  ASSERT_FALSE(r.verdicts.empty()) << "no summary.json cases; console:\n" << r.log;
  // A fault breaks one rule: the other cases pass or say why they could not judge.
  expect_exactly_failed(r, "wearable", {row.cases.begin(), row.cases.end()}, "fault " + row.fault);
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

INSTANTIATE_TEST_SUITE_P(Table, WearableFault, ::testing::ValuesIn(table_or_empty(section)), fault_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(WearableFault);

// 1001 cannot be provoked by a client: case 6.13 runs SHUTDOWN_CMD, here a kill of the fake,
// which must then exit 0 (its SIGTERM path closes everyone 1001 and returns).
TEST(WearableConformance, ShutdownCaseSees1001AndTheFakeExitsCleanly) {
  auto fake = wearable_fake();
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/"), dir_for("shutdown"), {"--case", "6.13", "--env", shutdown_cmd(fake)});
  EXPECT_EQ(r.verdicts["6.13"], "OK") << r.log;
  EXPECT_EQ(fake.process.stop(), 0) << "the fake should exit 0 on SIGTERM";
}

}  // namespace
