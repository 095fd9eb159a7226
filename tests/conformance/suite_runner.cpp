#include "tests/conformance/suite_runner.hpp"

#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "tests/conformance/rule_coverage.hpp"

namespace drover::testing {

namespace fs = std::filesystem;

void PrintTo(const fault_row& row, std::ostream* os) {
  *os << row.fault << " ->";
  for (const auto& c : row.cases) *os << " " << c;
}

running_fake::running_fake(const std::string& name, const std::vector<std::string>& args)
    : process([&] {
        std::vector<std::string> argv = {DROVER_BINARY, "fake", name, "--port", "0"};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
      }()) {
  auto line = process.read_line(std::chrono::seconds(20));
  if (!line) return;
  auto colon = line->rfind(':');
  if (line->rfind("listening on ", 0) == 0 && colon != std::string::npos) port = line->substr(colon + 1);
}

std::string running_fake::url(const std::string& path_and_query) const {
  return "ws://127.0.0.1:" + port + path_and_query;
}

fs::path fresh_dir(const std::string& prefix, const std::string& name) {
  std::string clean;
  for (char c : name) clean += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  fs::path dir = fs::temp_directory_path() / (prefix + "-" + std::to_string(getpid())) / clean;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::set<std::string> conform_result::with(const std::set<std::string>& verdicts_wanted) const {
  std::set<std::string> out;
  for (const auto& [id, verdict] : verdicts)
    if (verdicts_wanted.count(verdict)) out.insert(id);
  return out;
}

std::set<std::string> conform_result::reported() const {
  std::set<std::string> out;
  for (const auto& [id, verdict] : verdicts) out.insert(id);
  if (reports != verdicts.size()) out.insert("(a case reported twice)");
  return out;
}

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void read_validation(const boost::json::object& doc, conform_result& r) {
  const auto* v = doc.if_contains("validation");
  const auto* messages = v && v->is_object() ? v->as_object().if_contains("messages") : nullptr;
  if (!messages || !messages->is_array()) return;
  for (const auto& m : messages->as_array()) {
    const auto* o = m.if_object();
    if (!o || !o->contains("direction") || o->at("direction") != "received") continue;
    r.received_valid += o->at("valid").to_number<double>();
    r.received_invalid[std::string(o->at("type").as_string())] = o->at("invalid").to_number<double>();
  }
}

}  // namespace

conform_result run_conform(const std::vector<std::string>& args, const fs::path& out) {
  std::vector<std::string> argv = {DROVER_BINARY, "conform"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--out", out.string()});
  conform_result r;
  fs::path log = out / "console.txt";
  auto started = std::chrono::steady_clock::now();
  r.exit_code = run_to_file(argv, log.string());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.log = read_text(log);
  boost::system::error_code ec;
  auto doc = boost::json::parse(read_text(out / "summary.json"), ec);
  if (ec || !doc.is_object()) return r;
  read_validation(doc.as_object(), r);
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

std::string fakes_readme() { return std::string(DROVER_SOURCE_ROOT) + "/fakes/README.md"; }

std::vector<fault_row> table_or_empty(const std::string& section) {
  try {
    return read_fault_table(fakes_readme(), section);
  } catch (const std::exception&) {
    return {};  // each matrix's FaultTableIsReadable test reports it
  }
}

std::set<std::string> unreachable_cases(const std::string& section) {
  std::ifstream in(fakes_readme());
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
      for (const auto& id : parse_case_cell(line.substr(open + 1, close - open - 1))) out.insert(id);
      open = close + 1;
    }
  }
  return out;
}

std::set<std::string> offered_faults(const std::vector<std::string>& fake_args, const fs::path& dir) {
  std::vector<std::string> argv = {DROVER_BINARY, "fake"};
  argv.insert(argv.end(), fake_args.begin(), fake_args.end());
  argv.push_back("--list-faults");
  fs::path listing = dir / "faults.txt";
  int status = run_to_file(argv, listing.string());
  EXPECT_EQ(status, 0) << "--list-faults failed:\n" << read_text(listing);
  return read_fault_listing(listing.string());
}

std::set<std::string> suite_cases(const std::string& suite) {
  auto ids = suite_case_ids(std::string(DROVER_SOURCE_ROOT) + "/scenarios/" + suite);
  return {ids.begin(), ids.end()};
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

std::string fault_test_name(const ::testing::TestParamInfo<fault_row>& info) {
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

void expect_exactly_failed(const conform_result& r, const std::string& suite, const std::set<std::string>& expected,
                           const std::string& what) {
  EXPECT_EQ(r.reported(), suite_cases(suite)) << what << ": every case of the suite reports once\n" << r.log;
  EXPECT_EQ(r.failed(), expected) << what << ": failed " << join(r.failed()) << ", expected " << join(expected) << "\n"
                                  << r.log;
  for (const auto& [id, verdict] : r.verdicts) {
    if (expected.count(id)) continue;
    EXPECT_TRUE(verdict == "OK" || verdict == "INFORMATIONAL") << what << ": case " << id << " is " << verdict << "\n"
                                                               << r.log;
  }
}

void expect_every_case_reachable(const conform_result& r, const std::vector<fault_row>& rows,
                                 const std::set<std::string>& excused) {
  std::set<std::string> reached;
  for (const auto& row : rows) reached.insert(row.cases.begin(), row.cases.end());
  for (const auto& [id, verdict] : r.verdicts) {
    EXPECT_TRUE(reached.count(id) || excused.count(id))
        << "case " << id << " is in no fault's row of fakes/README.md and not on its \"No fault reaches:\" line";
    EXPECT_FALSE(reached.count(id) && excused.count(id)) << "case " << id << " is both reached and excused";
  }
  for (const auto& id : reached) EXPECT_TRUE(r.verdicts.count(id)) << "the table lists case " << id << ", the suite has none";
  for (const auto& id : excused) EXPECT_TRUE(r.verdicts.count(id)) << "excused case " << id << " is not in the suite";
}

}  // namespace drover::testing
