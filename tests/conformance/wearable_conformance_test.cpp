// The wearable conformance suite (scenarios/wearable/) against the wearable fake: the correct
// fake passes every case, and each fault of fakes/README.md's wearable table fails exactly the
// cases its "cases that must fail" cell lists. The table is the single source of truth.
// Every run must report every case of the suite (a dropped result is a failure), and every
// verdict counts: outside a row's cases only OK and INFORMATIONAL ("not judged") may appear.
// Every run gives SHUTDOWN_CMD (a kill of the fake), so 6.13 is judged in every run too.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/conformance/child_process.hpp"
#include "tests/conformance/fault_table.hpp"
#include "tests/conformance/rule_coverage.hpp"

namespace drover::testing {
// How ctest and failure messages name a row: "wrong-close:4001 -> 6.2, 6.3, 6.4".
void PrintTo(const fault_row& row, std::ostream* os) {
  *os << row.fault << " ->";
  for (const auto& c : row.cases) *os << " " << c;
}
}  // namespace drover::testing

namespace {

namespace fs = std::filesystem;
using drover::testing::child_process;
using drover::testing::fault_row;

// Short timers so the whole suite runs in a few seconds; the suite reads the interval from
// HELLO and the identify timeout from IDENTIFY_TIMEOUT_MS.
constexpr const char* heartbeat_ms = "500";
constexpr const char* identify_ms = "1000";

const std::string readme = std::string(DROVER_SOURCE_ROOT) + "/fakes/README.md";

std::vector<fault_row> table_or_empty() {
  try {
    return drover::testing::read_fault_table(readme, "## wearable");
  } catch (const std::exception&) {
    return {};  // FaultTable.IsReadable reports it
  }
}

// A wearable fake on an OS-picked port, stopped (SIGTERM) when this goes out of scope.
struct running_fake {
  child_process process;
  std::string port;

  explicit running_fake(std::vector<std::string> extra = {})
      : process([&] {
          std::vector<std::string> argv = {DROVER_BINARY, "fake", "wearable", "--port", "0", "--threads", "2",
                                           "--heartbeat-interval", heartbeat_ms, "--identify-timeout", identify_ms,
                                           "--consumer-limit", "2"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    auto line = process.read_line(std::chrono::seconds(20));
    if (line) {
      auto colon = line->rfind(':');
      if (line->rfind("listening on ", 0) == 0 && colon != std::string::npos) port = line->substr(colon + 1);
    }
  }
  std::string url(const std::string& query = "") const { return "ws://127.0.0.1:" + port + "/" + query; }
};

fs::path fresh_dir(const std::string& name) {
  std::string clean;
  for (char c : name) clean += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  fs::path dir = fs::temp_directory_path() / ("drover-conformance-" + std::to_string(getpid())) / clean;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct conform_result {
  int exit_code = -1;
  std::map<std::string, std::string> verdicts;  // case id -> verdict
  std::size_t reports = 0;                      // entries in summary.json's cases (a case twice counts twice)
  std::string log;                              // console output, for failure messages
};

// The case ids the suite defines (its cases_*.lua files).
std::set<std::string> suite_cases() {
  auto ids = drover::testing::suite_case_ids(std::string(DROVER_SOURCE_ROOT) + "/scenarios/wearable");
  return {ids.begin(), ids.end()};
}

std::string shutdown_cmd(const running_fake& fake) {
  return "SHUTDOWN_CMD=kill -TERM " + std::to_string(fake.process.pid());
}

// RESPONSE_TIMEOUT_MS: how long a case waits for a READY or a close that a fault withholds;
// 1.5 s is still generous on loopback and keeps the faulty runs short.
conform_result run_suite(const std::string& target, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {DROVER_BINARY, "conform", "wearable", "--target", target,
                                   "--out", out.string(), "--env", std::string("IDENTIFY_TIMEOUT_MS=") + identify_ms,
                                   "--env", "RESPONSE_TIMEOUT_MS=1500",
                                   "--suite", std::string(DROVER_SOURCE_ROOT) + "/scenarios/wearable/suite.lua"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  conform_result r;
  fs::path log = out / "console.txt";
  r.exit_code = drover::testing::run_to_file(argv, log.string());
  std::ifstream log_in(log);
  std::stringstream text;
  text << log_in.rdbuf();
  r.log = text.str();
  std::ifstream in(out / "summary.json");
  std::stringstream summary;
  summary << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(summary.str(), ec);
  if (ec || !doc.is_object()) return r;
  if (const auto* cases = doc.as_object().if_contains("cases"); cases && cases->is_array()) {
    r.reports = cases->as_array().size();
    for (const auto& c : cases->as_array()) {
      const auto* id = c.is_object() ? c.as_object().if_contains("id") : nullptr;
      const auto* verdict = c.is_object() ? c.as_object().if_contains("verdict") : nullptr;
      if (id && id->is_string() && verdict && verdict->is_string())
        r.verdicts[std::string(id->get_string())] = std::string(verdict->get_string());
    }
  }
  return r;
}

std::set<std::string> cases_with(const conform_result& r, const std::set<std::string>& verdicts) {
  std::set<std::string> out;
  for (const auto& [id, verdict] : r.verdicts)
    if (verdicts.count(verdict)) out.insert(id);
  return out;
}

std::set<std::string> failed_cases(const conform_result& r) { return cases_with(r, {"FAILED"}); }

// The case ids reported; a case reported twice adds a "(reported twice)" entry so that the
// comparison with the suite's case list fails.
std::set<std::string> reported(const conform_result& r) {
  std::set<std::string> out;
  for (const auto& [id, verdict] : r.verdicts) out.insert(id);
  if (r.reports != r.verdicts.size()) out.insert("(a case reported twice)");
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

TEST(WearableConformance, CorrectFakePassesEveryCase) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url(), fresh_dir("correct"), {"--env", shutdown_cmd(fake)});
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_EQ(reported(r), suite_cases()) << "every case of the suite reports once\n" << r.log;
  // scenarios/wearable/README.md: with SHUTDOWN_CMD and a consumer limit below 8 nothing is
  // INFORMATIONAL against a correct server.
  EXPECT_EQ(cases_with(r, {"INFORMATIONAL", "NON-STRICT", "UNIMPLEMENTED", "FAILED"}), std::set<std::string>{})
      << r.log;
}

// Without SHUTDOWN_CMD 6.13 cannot provoke a shutdown: INFORMATIONAL, as the README states.
TEST(WearableConformance, ShutdownCaseWithoutCommandIsInformational) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("no-shutdown-cmd"), {"--case", "6.13"});
  EXPECT_EQ(r.verdicts, (std::map<std::string, std::string>{{"6.13", "INFORMATIONAL"}})) << r.log;
  EXPECT_EQ(r.exit_code, 0) << r.log;
}

// Every case can fail: each is in some fault's row.
TEST(WearableConformance, EveryCaseIsInSomeFaultsRow) {
  std::set<std::string> covered;
  for (const auto& row : table_or_empty()) covered.insert(row.cases.begin(), row.cases.end());
  auto defined = suite_cases();
  for (const auto& id : defined) EXPECT_TRUE(covered.count(id)) << "no fault of fakes/README.md fails case " << id;
  for (const auto& id : covered)
    EXPECT_TRUE(defined.count(id)) << "fakes/README.md names case " << id << ", the suite has none";
}

TEST(WearableConformance, FaultTableIsReadable) {
  auto rows = drover::testing::read_fault_table(readme, "## wearable");
  EXPECT_FALSE(rows.empty());
}

// Both directions: every fault the fake offers has a row, every row names a fault of the fake,
// and every row lists at least one case.
TEST(WearableConformance, FaultTableCoversEveryFakeFault) {
  fs::path dir = fresh_dir("list-faults");
  fs::path listing = dir / "faults.txt";
  ASSERT_EQ(drover::testing::run_to_file({DROVER_BINARY, "fake", "wearable", "--list-faults"}, listing.string()), 0);
  std::set<std::string> offered = drover::testing::read_fault_listing(listing.string());
  for (const auto& problem : drover::testing::table_mismatches(offered, table_or_empty())) ADD_FAILURE() << problem;
}

class WearableFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(WearableFault, FailsExactlyItsCases) {
  const fault_row& row = GetParam();
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  running_fake fake;
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("?fault=" + row.fault), fresh_dir(row.fault), {"--env", shutdown_cmd(fake)});
  ASSERT_FALSE(r.verdicts.empty()) << "no summary.json cases; console:\n" << r.log;
  EXPECT_EQ(reported(r), suite_cases()) << "every case of the suite reports once\n" << r.log;
  std::set<std::string> expected(row.cases.begin(), row.cases.end());
  EXPECT_EQ(failed_cases(r), expected) << "fault " << row.fault << ": failed " << join(failed_cases(r))
                                       << ", the table says " << join(expected) << "\n" << r.log;
  // A fault breaks one rule: the other cases pass or say why they could not judge.
  auto graded = cases_with(r, {"NON-STRICT", "UNIMPLEMENTED"});
  EXPECT_EQ(graded, std::set<std::string>{}) << "fault " << row.fault << ": NON-STRICT or UNIMPLEMENTED in "
                                              << join(graded) << "\n" << r.log;
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

std::string test_name(const ::testing::TestParamInfo<fault_row>& info) {
  std::string name;
  bool upper = true;
  for (char c : info.param.fault) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return name.empty() ? "Row" + std::to_string(info.index) : name;
}

INSTANTIATE_TEST_SUITE_P(Table, WearableFault, ::testing::ValuesIn(table_or_empty()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(WearableFault);

// 1001 cannot be provoked by a client: case 6.13 runs SHUTDOWN_CMD, here a kill of the fake,
// which must then exit 0 (its SIGTERM path closes everyone 1001 and returns).
TEST(WearableConformance, ShutdownCaseSees1001AndTheFakeExitsCleanly) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("shutdown"), {"--case", "6.13", "--env", shutdown_cmd(fake)});
  EXPECT_EQ(r.verdicts["6.13"], "OK") << r.log;
  EXPECT_EQ(fake.process.stop(), 0) << "the fake should exit 0 on SIGTERM";
}

}  // namespace
