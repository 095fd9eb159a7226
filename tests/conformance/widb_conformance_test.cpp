// The WiDB conformance suite (scenarios/widb/) against the WiDB fake: the correct fake gives no
// FAILED case, each fault of fakes/README.md's "## widb" table fails exactly the cases its
// "cases that must fail" cell lists, and every case of the suite is failed by some fault or is
// named, with its reason, on the table's "No fault reaches" line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
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
constexpr const char* section = "## widb";

std::vector<fault_row> table_or_empty() {
  try {
    return drover::testing::read_fault_table(readme, section);
  } catch (const std::exception&) {
    return {};  // FaultTableIsReadable reports it
  }
}

// The case ids on the section's "No fault reaches:" line (each with its reason in the text).
std::set<std::string> unreachable_cases() {
  std::ifstream in(readme);
  std::string line;
  bool in_section = false;
  std::set<std::string> out;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line.rfind(section, 0) == 0;
    if (!in_section || line.rfind("No fault reaches:", 0) != 0) continue;
    // Ids are the backticked words: "No fault reaches: `1.4` (why)".
    for (std::size_t open = line.find('`'); open != std::string::npos; open = line.find('`', open)) {
      std::size_t close = line.find('`', open + 1);
      if (close == std::string::npos) break;
      for (const auto& id : drover::testing::parse_case_cell(line.substr(open + 1, close - open - 1))) out.insert(id);
      open = close + 1;
    }
  }
  return out;
}

// A WiDB fake on an OS-picked port, stopped (SIGTERM) when this goes out of scope.
struct running_fake {
  child_process process;
  std::string port;

  explicit running_fake(std::vector<std::string> extra = {})
      : process([&] {
          std::vector<std::string> argv = {DROVER_BINARY, "fake", "widb", "--port", "0", "--threads", "2"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    auto line = process.read_line(std::chrono::seconds(20));
    if (line) {
      auto colon = line->rfind(':');
      if (line->rfind("listening on ", 0) == 0 && colon != std::string::npos) port = line->substr(colon + 1);
    }
  }
  std::string url(const std::string& query = "") const { return "ws://127.0.0.1:" + port + "/ws" + query; }
};

fs::path fresh_dir(const std::string& name) {
  std::string clean;
  for (char c : name) clean += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  fs::path dir = fs::temp_directory_path() / ("drover-widb-conformance-" + std::to_string(getpid())) / clean;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct conform_result {
  int exit_code = -1;
  std::map<std::string, std::string> verdicts;  // case id -> verdict
  std::map<std::string, double> received_invalid;  // message type -> frames from the server failing their schema
  double received_valid = 0;
  std::string log;
  double seconds = 0;
};

conform_result run_suite(const std::string& target, const fs::path& out) {
  std::vector<std::string> argv = {DROVER_BINARY, "conform", "widb", "--target", target, "--out", out.string(),
                                   "--suite", std::string(DROVER_SOURCE_ROOT) + "/scenarios/widb/suite.lua"};
  conform_result r;
  fs::path log = out / "console.txt";
  auto started = std::chrono::steady_clock::now();
  r.exit_code = drover::testing::run_to_file(argv, log.string());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
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
  if (const auto* v = doc.as_object().if_contains("validation"); v && v->is_object()) {
    if (const auto* messages = v->as_object().if_contains("messages"); messages && messages->is_array()) {
      for (const auto& m : messages->as_array()) {
        if (!m.is_object() || m.as_object().at("direction") != "received") continue;
        r.received_valid += m.as_object().at("valid").to_number<double>();
        r.received_invalid[std::string(m.as_object().at("type").as_string())] = m.as_object().at("invalid").to_number<double>();
      }
    }
  }
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

// The case ids the suite defines: every `id = "X.Y"` of scenarios/widb/cases_*.lua.
std::set<std::string> suite_cases() {
  std::set<std::string> ids;
  const std::regex id_re(R"re(\bid\s*=\s*"([0-9.]+)")re");
  for (const auto& entry : fs::directory_iterator(std::string(DROVER_SOURCE_ROOT) + "/scenarios/widb")) {
    auto name = entry.path().filename().string();
    if (name.rfind("cases_", 0) != 0 || entry.path().extension() != ".lua") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string body = text.str();
    for (std::sregex_iterator it(body.begin(), body.end(), id_re), end; it != end; ++it) ids.insert((*it)[1]);
  }
  return ids;
}

// Every case of the suite reported, and outside `allowed_to_fail` only OK or INFORMATIONAL
// ("not judged"): a fault must not make other cases NON-STRICT, UNIMPLEMENTED or vanish.
// Every frame the correct fake sent validates against schemas/widb/server/ (logData entries as
// objects or strings, forwarded deviceMetrics).
void expect_valid_frames(const conform_result& r) {
  EXPECT_GT(r.received_valid, 10) << "the suite validated the server's frames (--protocol widb)";
  for (const auto& [type, invalid] : r.received_invalid) EXPECT_EQ(invalid, 0) << type << " frames failed their schema";
}

void expect_complete_and_clean(const conform_result& r, const std::set<std::string>& allowed_to_fail) {
  std::set<std::string> reported;
  for (const auto& [id, verdict] : r.verdicts) {
    reported.insert(id);
    if (allowed_to_fail.count(id)) continue;
    EXPECT_TRUE(verdict == "OK" || verdict == "INFORMATIONAL") << "case " << id << " is " << verdict << "\n" << r.log;
  }
  EXPECT_EQ(reported, suite_cases()) << "every case of the suite must report a verdict";
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

TEST(WidbConformance, CorrectFakePassesEveryCaseInUnderTenSeconds) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty()) << "the fake did not print its port";
  auto r = run_suite(fake.url(), fresh_dir("correct"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 15u) << r.log;
  EXPECT_EQ(failed_cases(r), std::set<std::string>{}) << r.log;
  expect_complete_and_clean(r, {});
  expect_valid_frames(r);
  EXPECT_LT(r.seconds, 10.0) << r.log;
}

// The real server's entry shape (rendered rows, lines merged): the suite judges texts, not shapes.
TEST(WidbConformance, FakeWithHtmlEntriesPassesEveryCase) {
  running_fake fake({"--entries", "html"});
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("html"));
  EXPECT_EQ(r.exit_code, 0) << r.log;
  EXPECT_GE(r.verdicts.size(), 15u) << r.log;
  EXPECT_EQ(failed_cases(r), std::set<std::string>{}) << r.log;
  expect_complete_and_clean(r, {});
  expect_valid_frames(r);
}

TEST(WidbConformance, FaultTableIsReadable) { EXPECT_FALSE(drover::testing::read_fault_table(readme, section).empty()); }

// Both directions: every fault the fake offers has a row, every row names a fault of the fake
// and lists at least one case.
TEST(WidbConformance, FaultTableCoversEveryFakeFault) {
  fs::path listing = fresh_dir("list-faults") / "faults.txt";
  ASSERT_EQ(drover::testing::run_to_file({DROVER_BINARY, "fake", "widb", "--list-faults"}, listing.string()), 0);
  std::set<std::string> offered = drover::testing::read_fault_listing(listing.string());
  EXPECT_GE(offered.size(), 9u);
  for (const auto& problem : drover::testing::table_mismatches(offered, table_or_empty())) ADD_FAILURE() << problem;
}

// Every case of the suite can fail: some fault's row lists it, or the "No fault reaches:" line
// names it (with a reason); a case named there must not also be in a row.
TEST(WidbConformance, EveryCaseIsReachedByAFaultOrHasAStatedReason) {
  running_fake fake;
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("reach"));
  ASSERT_FALSE(r.verdicts.empty()) << r.log;
  std::set<std::string> reached;
  for (const auto& row : table_or_empty()) reached.insert(row.cases.begin(), row.cases.end());
  auto excused = unreachable_cases();
  for (const auto& [id, verdict] : r.verdicts) {
    EXPECT_TRUE(reached.count(id) || excused.count(id))
        << "case " << id << " is in no fault's row of fakes/README.md and not on its \"No fault reaches:\" line";
    EXPECT_FALSE(reached.count(id) && excused.count(id)) << "case " << id << " is both reached and excused";
  }
  for (const auto& id : reached) EXPECT_TRUE(r.verdicts.count(id)) << "the table lists case " << id << ", the suite has none";
  for (const auto& id : excused) EXPECT_TRUE(r.verdicts.count(id)) << "excused case " << id << " is not in the suite";
}

// A fault given per run (--fault) acts like the same fault per connection (?fault=).
TEST(WidbConformance, RunWideFaultFailsTheSameCases) {
  auto rows = table_or_empty();
  ASSERT_FALSE(rows.empty());
  const fault_row* row = nullptr;
  for (const auto& r : rows)
    if (r.fault == "entries-lost") row = &r;
  ASSERT_NE(row, nullptr) << "the table has no entries-lost row";
  running_fake fake({"--fault", row->fault});
  ASSERT_FALSE(fake.port.empty());
  auto r = run_suite(fake.url(), fresh_dir("run-wide"));
  EXPECT_EQ(failed_cases(r), std::set<std::string>(row->cases.begin(), row->cases.end())) << r.log;
}

class WidbFault : public ::testing::TestWithParam<fault_row> {};

TEST_P(WidbFault, FailsExactlyItsCases) {
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
  expect_complete_and_clean(r, expected);
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

INSTANTIATE_TEST_SUITE_P(Table, WidbFault, ::testing::ValuesIn(table_or_empty()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(WidbFault);

}  // namespace
