// The vStats conformance suite (scenarios/vstats/) against the vStats fake, in both dialects:
// the correct fake gives no FAILED case, each fault of fakes/README.md's vstats tables ("## vstats
// (protocol 004)" documented, "## vstats, real dialect") fails exactly the cases its "cases that
// must fail" cell lists, every fault the fake offers has a row, and every case of the suite is
// failed by some fault or named, with its reason, on the section's "No fault reaches:" line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
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

namespace drover::testing {
// Defined with the wearable matrix (same executable): ctest names "fault -> cases".
void PrintTo(const fault_row& row, std::ostream* os);
}  // namespace drover::testing

namespace {

namespace fs = std::filesystem;
using drover::testing::child_process;
using drover::testing::fault_row;

const std::string readme = std::string(DROVER_SOURCE_ROOT) + "/fakes/README.md";
constexpr const char* section = "## vstats (";
constexpr const char* real_section = "## vstats, real dialect";
// Short timers so that the whole suite runs in about 2 s (the suite learns them from env).
constexpr const char* ping_ms = "400";
constexpr const char* report_ms = "300";
constexpr const char* delta_ms = "300";

std::vector<fault_row> table_or_empty(const char* which = section) {
  try {
    return drover::testing::read_fault_table(readme, which);
  } catch (const std::exception&) {
    return {};  // FaultTableIsReadable reports it
  }
}

// The backticked case ids on the section's "No fault reaches:" line.
std::set<std::string> unreachable_cases(const char* which = section) {
  std::ifstream in(readme);
  std::string line;
  bool in_section = false;
  std::set<std::string> out;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line.rfind(which, 0) == 0;
    if (!in_section || line.rfind("No fault reaches:", 0) != 0) continue;
    for (std::size_t open = line.find('`'); open != std::string::npos; open = line.find('`', open)) {
      std::size_t close = line.find('`', open + 1);
      if (close == std::string::npos) break;
      for (const auto& id : drover::testing::parse_case_cell(line.substr(open + 1, close - open - 1))) out.insert(id);
      open = close + 1;
    }
  }
  return out;
}

// A vStats fake on an OS-picked port, stopped (SIGTERM) when this goes out of scope.
struct running_fake {
  child_process process;
  std::string port;

  explicit running_fake(const std::string& dialect = "documented")
      : process({DROVER_BINARY, "fake", "vstats", "--port", "0", "--threads", "2", "--ping-interval", ping_ms,
                 "--report-interval", report_ms, "--delta-interval", delta_ms, "--dialect", dialect}) {
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
  fs::path dir = fs::temp_directory_path() / ("drover-vstats-conformance-" + std::to_string(getpid())) / clean;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct conform_result {
  int exit_code = -1;
  std::map<std::string, std::string> verdicts;  // case id -> verdict
  std::string log;
  double seconds = 0;
};

conform_result run_suite(const std::string& target, const fs::path& out, const std::string& dialect = "documented") {
  std::vector<std::string> argv = {DROVER_BINARY, "conform", "vstats", "--target", target, "--out", out.string(),
                                   "--dialect", dialect,
                                   "--env", std::string("PING_INTERVAL_MS=") + ping_ms,
                                   "--env", std::string("REPORT_INTERVAL_MS=") + report_ms,
                                   "--env", std::string("DELTA_INTERVAL_MS=") + delta_ms,
                                   "--suite", std::string(DROVER_SOURCE_ROOT) + "/scenarios/vstats/suite.lua"};
  conform_result r;
  fs::path log = out / "console.txt";
  auto start = std::chrono::steady_clock::now();
  r.exit_code = drover::testing::run_to_file(argv, log.string());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
    for (const auto& c : cases->as_array()) {
      const auto* id = c.is_object() ? c.as_object().if_contains("id") : nullptr;
      const auto* verdict = c.is_object() ? c.as_object().if_contains("verdict") : nullptr;
      if (id && id->is_string() && verdict && verdict->is_string())
        r.verdicts[std::string(id->get_string())] = std::string(verdict->get_string());
    }
  }
  return r;
}

std::set<std::string> failed_cases(const conform_result& r) {
  std::set<std::string> out;
  for (const auto& [id, verdict] : r.verdicts)
    if (verdict == "FAILED") out.insert(id);
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

TEST(VstatsConformance, CorrectFakeFailsNoCaseWithinTenSeconds) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url(), fresh_dir("correct"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 16u) << r.log;
  EXPECT_EQ(failed_cases(r), std::set<std::string>{}) << r.log;
  EXPECT_LT(r.seconds, 10.0) << "the suite must finish in under 10 s with short timers";
}

TEST(VstatsConformance, FaultTableIsReadable) { EXPECT_FALSE(drover::testing::read_fault_table(readme, section).empty()); }

// Both directions: every fault the fake offers has a row, every row names a fault of the fake.
TEST(VstatsConformance, FaultTableCoversEveryFakeFault) {
  fs::path listing = fresh_dir("list-faults") / "faults.txt";
  ASSERT_EQ(drover::testing::run_to_file({DROVER_BINARY, "fake", "vstats", "--list-faults"}, listing.string()), 0);
  std::set<std::string> offered = drover::testing::read_fault_listing(listing.string());
  for (const auto& problem : drover::testing::table_mismatches(offered, table_or_empty())) ADD_FAILURE() << problem;
}

// Every case of the suite (as the correct run lists them) is in some fault's row or on the
// "No fault reaches:" line, and nothing is on both.
TEST(VstatsConformance, EveryCaseIsReachedByAFaultOrExcusedWithAReason) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("reach"));
  ASSERT_FALSE(r.verdicts.empty()) << r.log;
  std::set<std::string> reached;
  for (const auto& row : table_or_empty()) reached.insert(row.cases.begin(), row.cases.end());
  auto excused = unreachable_cases();
  for (const auto& [id, verdict] : r.verdicts) {
    EXPECT_TRUE(reached.count(id) || excused.count(id))
        << "case " << id << " is in no fault's row and not on the \"No fault reaches:\" line";
    EXPECT_FALSE(reached.count(id) && excused.count(id)) << "case " << id << " is both reached and excused";
  }
}

class VstatsFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(VstatsFault, FailsExactlyItsCases) {
  const fault_row& row = GetParam();
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  running_fake fake;
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url("?fault=" + row.fault), fresh_dir(row.fault));
  ASSERT_FALSE(r.verdicts.empty()) << "no summary.json cases; console:\n" << r.log;
  std::set<std::string> expected(row.cases.begin(), row.cases.end());
  for (const auto& id : expected) EXPECT_TRUE(r.verdicts.count(id)) << "case " << id << " is not in the suite";
  EXPECT_EQ(failed_cases(r), expected) << "fault " << row.fault << ": failed " << join(failed_cases(r))
                                       << ", the table says " << join(expected) << "\n" << r.log;
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

INSTANTIATE_TEST_SUITE_P(Table, VstatsFault, ::testing::ValuesIn(table_or_empty()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(VstatsFault);

// The real dialect (docs/protocols/vstats.md §14): the same three promises with its own table.
TEST(VstatsRealConformance, CorrectFakeFailsNoCase) {
  running_fake fake("real");
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("real-correct"), "real");
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 7u) << r.log;
  EXPECT_EQ(failed_cases(r), std::set<std::string>{}) << r.log;
  EXPECT_LT(r.seconds, 10.0);
  std::set<std::string> reached;
  for (const auto& row : table_or_empty(real_section)) reached.insert(row.cases.begin(), row.cases.end());
  auto excused = unreachable_cases(real_section);
  for (const auto& [id, verdict] : r.verdicts)
    EXPECT_TRUE(reached.count(id) || excused.count(id)) << "real-dialect case " << id << " is in no fault's row";
}

TEST(VstatsRealConformance, FaultTableCoversEveryFakeFault) {
  fs::path listing = fresh_dir("real-list-faults") / "faults.txt";
  ASSERT_EQ(drover::testing::run_to_file({DROVER_BINARY, "fake", "vstats", "--dialect", "real", "--list-faults"},
                                         listing.string()),
            0);
  std::set<std::string> offered, tabled;
  std::ifstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string name;
    if (words >> name) offered.insert(name);
  }
  for (const auto& row : table_or_empty(real_section)) tabled.insert(row.fault);
  EXPECT_FALSE(tabled.empty()) << "no \"" << real_section << "\" table in fakes/README.md";
  EXPECT_EQ(offered, tabled);
}

class VstatsRealFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(VstatsRealFault, FailsExactlyItsCases) {
  const fault_row& row = GetParam();
  ASSERT_FALSE(row.cases.empty()) << "fakes/README.md lists no case that must fail for " << row.fault;
  running_fake fake("real");
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url("?fault=" + row.fault), fresh_dir("real-" + row.fault), "real");
  ASSERT_FALSE(r.verdicts.empty()) << r.log;
  std::set<std::string> expected(row.cases.begin(), row.cases.end());
  EXPECT_EQ(failed_cases(r), expected) << "fault " << row.fault << ": failed " << join(failed_cases(r))
                                       << ", the table says " << join(expected) << "\n" << r.log;
  EXPECT_EQ(r.exit_code, 1) << r.log;
}

INSTANTIATE_TEST_SUITE_P(Table, VstatsRealFault, ::testing::ValuesIn(table_or_empty(real_section)), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(VstatsRealFault);

}  // namespace
