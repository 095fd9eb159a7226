// The RemoteDev conformance suite (scenarios/remotedev/) against the RemoteDev fake, with short
// timers: the correct fake gives no FAILED case in v1, v2 and auto; each fault of
// fakes/README.md's "## remotedev" table fails exactly the cases its "cases that must fail"
// cell lists (every fault in v2, the faults that act on pings, pongs and timers in v1 too);
// every case of the suite is failed by some fault or named, with its reason, on the table's
// "No fault reaches" line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/conformance/suite_runner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace drover::testing;

constexpr const char* section = "## remotedev";

// Short timers for the fake and the same values for the suite (docs/protocols/remotedev.md §10).
const std::vector<std::string> fake_timers = {"--ping-interval", "400ms", "--ping-timeout", "1200ms",
                                              "--handshake-timeout", "1s"};
const std::vector<std::string> suite_timers = {"--env", "PING_INTERVAL_MS=400", "--env", "PING_TIMEOUT_MS=1200",
                                               "--env", "HANDSHAKE_TIMEOUT_MS=1000"};

// Faults whose effect differs between the versions' ping and pong frames or their timers: they
// run against the v1 fake too.
const std::set<std::string> v1_faults = {"no-handshake-timeout", "early-handshake-timeout", "non-handshake-accepted",
                                         "no-ping",              "slow-ping",               "ping-wrong-format",
                                         "ping-timeout-ignored", "early-ping-timeout",      "pong-only-keepalive"};

running_fake remotedev_fake(const std::string& version, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--threads", "2", "--protocol", version};
  args.insert(args.end(), fake_timers.begin(), fake_timers.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return running_fake("remotedev", args);
}

fs::path dir_for(const std::string& name) { return fresh_dir("drover-remotedev-conformance", name); }

conform_result run_suite(const std::string& target, const std::string& version, const fs::path& out) {
  std::vector<std::string> args = {"remotedev", "--target", target, "--protocol", version, "--suite",
                                   std::string(DROVER_SOURCE_ROOT) + "/scenarios/remotedev/suite.lua"};
  args.insert(args.end(), suite_timers.begin(), suite_timers.end());
  return run_conform(args, out);
}

// With a version given, every frame the fake sent was validated against schemas/remotedev/ in C++
// (pings included) and none failed.
void expect_valid_frames(const conform_result& r) {
  EXPECT_GT(r.received_valid, 50) << "the suite validated the server's frames (--protocol v1|v2)";
  for (const auto& [type, invalid] : r.received_invalid) EXPECT_EQ(invalid, 0) << type << " frames failed their schema";
}

class RemotedevCorrectFake : public ::testing::TestWithParam<std::string> {};

TEST_P(RemotedevCorrectFake, PassesEveryCaseInUnderTenSeconds) {
  const std::string& version = GetParam();
  auto fake = remotedev_fake(version);
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/socketcluster/"), version, dir_for("correct-" + version));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(r.verdicts.size(), 21u) << r.log;
  expect_exactly_failed(r, "remotedev", {}, "correct fake, --protocol " + version);
  expect_valid_frames(r);
  EXPECT_LT(r.seconds, 10.0) << r.log;
}

INSTANTIATE_TEST_SUITE_P(Versions, RemotedevCorrectFake, ::testing::Values("v1", "v2"));

// --protocol auto learns the version from the first ping; frames are not validated in C++ then.
TEST(RemotedevConformance, AutoLearnsEitherVersion) {
  for (const std::string version : {"v1", "v2"}) {
    auto fake = remotedev_fake(version);
    ASSERT_FALSE(fake.port.empty());
    auto out = dir_for("auto-" + version);
    auto r = run_suite(fake.url("/socketcluster/"), "auto", out);
    EXPECT_EQ(r.exit_code, 0) << r.log;
    expect_exactly_failed(r, "remotedev", {}, "correct " + version + " fake, --protocol auto");
    std::ifstream in(out / "summary.json");
    std::stringstream summary;
    summary << in.rdbuf();
    EXPECT_NE(summary.str().find("the server speaks " + version), std::string::npos)
        << "cases 1.1 and 2.2 report the version they saw\n" << r.log;
  }
}

// The other version's pings are the one thing that tells the versions apart on the wire (the
// pingTimeout is given by PING_TIMEOUT_MS here): 2.2 fails, nothing else.
TEST(RemotedevConformance, WrongVersionFailsThePingFormatCase) {
  auto fake = remotedev_fake("v2");
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/socketcluster/"), "v1", dir_for("wrong-version"));
  expect_exactly_failed(r, "remotedev", {"2.2"}, "v2 fake checked as v1");
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

TEST(RemotedevConformance, UnknownProtocolVersionIsRefused) {
  auto fake = remotedev_fake("v2");
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/socketcluster/"), "v3", dir_for("unknown-version"));
  EXPECT_EQ(r.exit_code, 2) << r.log;
  EXPECT_NE(r.log.find("unknown protocol version 'v3' (--protocol v1, v2 or auto)"), std::string::npos) << r.log;
  EXPECT_TRUE(r.verdicts.empty()) << r.log;
}

TEST(RemotedevConformance, FaultTableIsReadable) { EXPECT_FALSE(read_fault_table(fakes_readme(), section).empty()); }

// Both directions: every fault the fake offers has a row, every row names a fault of the fake
// and lists at least one case.
TEST(RemotedevConformance, FaultTableCoversEveryFakeFault) {
  auto offered = offered_faults({"remotedev"}, dir_for("list-faults"));
  EXPECT_GE(offered.size(), 20u);
  for (const auto& problem : table_mismatches(offered, table_or_empty(section))) ADD_FAILURE() << problem;
  for (const auto& fault : v1_faults) EXPECT_TRUE(offered.count(fault)) << "the v1 list names " << fault;
}

// Every case of the suite can fail: some fault's row lists it, or the "No fault reaches:" line
// names it (with a reason); a case named there must not also be in a row.
TEST(RemotedevConformance, EveryCaseIsReachedByAFaultOrHasAStatedReason) {
  auto fake = remotedev_fake("v2");
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/socketcluster/"), "v2", dir_for("reach"));
  ASSERT_FALSE(r.verdicts.empty()) << r.log;
  expect_every_case_reachable(r, table_or_empty(section), unreachable_cases(section));
}

// A fault given per run (--fault) acts like the same fault per connection (?fault=).
TEST(RemotedevConformance, RunWideFaultFailsTheSameCases) {
  const fault_row* row = nullptr;
  auto rows = table_or_empty(section);
  for (const auto& r : rows)
    if (r.fault == "log-noid-wrong-id") row = &r;
  ASSERT_NE(row, nullptr) << "the table has no log-noid-wrong-id row";
  auto fake = remotedev_fake("v2", {"--fault", row->fault});
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("/socketcluster/"), "v2", dir_for("run-wide"));
  EXPECT_EQ(r.failed(), std::set<std::string>(row->cases.begin(), row->cases.end())) << r.log;
}

void expect_fault_fails_its_cases(const fault_row& row, const std::string& version) {
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  auto fake = remotedev_fake(version);
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("/socketcluster/?fault=" + row.fault), version, dir_for(version + "-" + row.fault));
  ASSERT_FALSE(r.verdicts.empty()) << "no summary.json cases; console:\n" << r.log;
  expect_exactly_failed(r, "remotedev", {row.cases.begin(), row.cases.end()}, "fault " + row.fault + " (" + version + ")");
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

std::vector<fault_row> v1_rows() {
  std::vector<fault_row> out;
  for (const auto& row : table_or_empty(section))
    if (v1_faults.count(row.fault)) out.push_back(row);
  return out;
}

class RemotedevFault : public ::testing::TestWithParam<fault_row> {};
TEST_P(RemotedevFault, FailsExactlyItsCases) { expect_fault_fails_its_cases(GetParam(), "v2"); }
INSTANTIATE_TEST_SUITE_P(Table, RemotedevFault, ::testing::ValuesIn(table_or_empty(section)), fault_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RemotedevFault);

class RemotedevFaultV1 : public ::testing::TestWithParam<fault_row> {};
TEST_P(RemotedevFaultV1, FailsExactlyItsCases) { expect_fault_fails_its_cases(GetParam(), "v1"); }
INSTANTIATE_TEST_SUITE_P(Table, RemotedevFaultV1, ::testing::ValuesIn(v1_rows()), fault_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RemotedevFaultV1);

}  // namespace
