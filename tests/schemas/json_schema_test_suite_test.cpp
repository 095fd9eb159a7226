// The official JSON Schema Test Suite, draft-07 (Debian package json-schema-test-suite),
// one test per case, run through drover's schema_validator (bundling, native formats and
// all). Remote references to http://localhost:1234/ are served from the suite's remotes/
// folder. Known exclusions are listed below, each with its reason, and are skipped.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/protocols/schema_files.hpp"
#include "harness/protocols/schema_validator.hpp"
#include "tests/schemas/test_names.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace drover::protocols;

const fs::path suite_root = JSON_SCHEMA_TEST_SUITE;
const fs::path draft7 = suite_root / "tests" / "draft7";

struct exclusion {
  std::string_view file;   // relative to tests/draft7
  std::string_view group;  // group description; "" = every group of the file
  std::string_view test;   // test description; "" = every test of the group
  std::string_view reason;
};

// Each line is a known gap, with why. Keep it short: fix what can be fixed.
const exclusion exclusions[] = {
#include "tests/schemas/json_schema_test_suite_exclusions.inc"
};

struct suite_case {
  std::string name;
  std::string file;
  std::size_t group = 0;
  std::size_t test = 0;
  std::string group_description;
  std::string test_description;
  std::string reason;  // excluded when set
};

void PrintTo(const suite_case& c, std::ostream* os) {
  *os << c.file << " / " << c.group_description << " / " << c.test_description;
}

std::optional<std::string_view> excluded(const std::string& file, const std::string& group, const std::string& test) {
  for (const auto& e : exclusions) {
    if (e.file == file && (e.group.empty() || e.group == group) && (e.test.empty() || e.test == test)) return e.reason;
  }
  return std::nullopt;
}

std::vector<fs::path> suite_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(draft7, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const json::value& suite_file(const std::string& rel) {
  static std::map<std::string, json::value> cache;
  auto it = cache.find(rel);
  if (it == cache.end()) it = cache.emplace(rel, read_json_file(draft7 / rel)).first;
  return it->second;
}

std::vector<suite_case> list_cases() {
  std::vector<suite_case> out;
  drover::test::unique_names names;
  for (const auto& path : suite_files()) {
    std::string rel = path.lexically_relative(draft7).generic_string();
    const auto& groups = suite_file(rel).as_array();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto& group = groups[g].as_object();
      std::string gd(group.at("description").as_string());
      const auto& tests = group.at("tests").as_array();
      for (std::size_t t = 0; t < tests.size(); ++t) {
        std::string td(tests[t].as_object().at("description").as_string());
        suite_case c{names.make(rel.substr(0, rel.size() - 5) + " " + gd + " " + td), rel, g, t, gd, td, {}};
        if (auto reason = excluded(rel, gd, td)) c.reason = *reason;
        out.push_back(std::move(c));
      }
    }
  }
  return out;
}

const std::vector<suite_case>& cases() {
  static const std::vector<suite_case> all = list_cases();
  return all;
}

json::value fetch_remote(const std::string& uri) {
  constexpr std::string_view prefix = "http://localhost:1234/";
  if (uri.rfind(prefix, 0) != 0) throw drover::usage_error("the suite has no remote document " + uri);
  return read_json_file(suite_root / "remotes" / uri.substr(prefix.size()));
}

// A group's schema compiled once per process; nullopt-like null when it does not compile.
const schema_validator* compiled(const suite_case& c, std::string* error) {
  static std::map<std::pair<std::string, std::size_t>, std::pair<std::unique_ptr<schema_validator>, std::string>> cache;
  auto key = std::make_pair(c.file, c.group);
  auto it = cache.find(key);
  if (it == cache.end()) {
    std::unique_ptr<schema_validator> v;
    std::string problem;
    try {
      const auto& schema = suite_file(c.file).as_array()[c.group].as_object().at("schema");
      v = std::make_unique<schema_validator>(schema, "", fetch_remote);
    } catch (const std::exception& e) {
      problem = e.what();
    }
    it = cache.emplace(key, std::make_pair(std::move(v), problem)).first;
  }
  *error = it->second.second;
  return it->second.first.get();
}

// Returns "" when drover agrees with the suite, else what went wrong.
std::string run(const suite_case& c) {
  std::string error;
  const schema_validator* v = compiled(c, &error);
  if (!v) return "schema does not compile: " + error;
  const auto& test = suite_file(c.file).as_array()[c.group].as_object().at("tests").as_array()[c.test].as_object();
  bool expected = test.at("valid").as_bool();
  auto found = v->validate(test.at("data"));
  bool valid = found.empty();
  bool fast = v->is_valid(test.at("data"));
  if (valid != fast) return "validate() and is_valid() disagree";
  if (valid == expected) return "";
  std::string out = expected ? "valid data reported invalid:" : "invalid data reported valid";
  for (const auto& f : found) out += "\n    " + f.pointer + ": " + f.keyword + ": " + f.detail;
  return out;
}

class JsonSchemaTestSuite : public testing::TestWithParam<suite_case> {};

TEST_P(JsonSchemaTestSuite, Draft7) {
  const auto& c = GetParam();
  if (!c.reason.empty()) GTEST_SKIP() << "known exclusion: " << c.reason;
  std::string problem = run(c);
  EXPECT_TRUE(problem.empty()) << c.file << " / " << c.group_description << " / " << c.test_description << ": "
                               << problem;
}

INSTANTIATE_TEST_SUITE_P(Official, JsonSchemaTestSuite, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<suite_case>& info) { return info.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(JsonSchemaTestSuite);

TEST(JsonSchemaTestSuiteSummary, CountsAndStaleExclusions) {
  if (cases().empty()) GTEST_SKIP() << "the JSON Schema Test Suite is not installed at " << suite_root;
  std::size_t pass = 0, fail = 0, skipped = 0;
  std::map<std::string, std::size_t> by_reason;
  std::vector<std::string> stale;
  for (const auto& c : cases()) {
    bool ok = run(c).empty();
    if (!c.reason.empty()) {
      ++skipped;
      ++by_reason[c.reason];
      if (ok) stale.push_back(c.file + " / " + c.group_description + " / " + c.test_description);
    } else {
      ++(ok ? pass : fail);
    }
  }
  std::cout << "JSON Schema Test Suite draft-07 through drover: " << cases().size() << " cases; " << pass
            << " agree, " << fail << " disagree, " << skipped << " excluded\n";
  for (const auto& [reason, n] : by_reason) std::cout << "  excluded " << n << ": " << reason << "\n";
  for (const auto& s : stale) std::cout << "  excluded but now agrees (drop the exclusion?): " << s << "\n";
  EXPECT_EQ(fail, 0u);
}

}  // namespace
