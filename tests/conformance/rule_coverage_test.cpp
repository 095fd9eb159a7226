// Each suite's README has a rule-coverage table: every rule of its protocol document (by §
// number) -> the cases that judge it, or "excused: <why>". This holds the table true against
// the document and the suite's case files in every direction: no rule without a row, no row
// for a rule the document lacks, no case the table names that the suite does not define, no
// case that judges no rule.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "tests/conformance/rule_coverage.hpp"

namespace {

using drover::testing::coverage_row;

struct suite_docs {
  std::string name;    // the suite, e.g. "wearable"
  std::string readme;  // with the "## Rule coverage" table
  std::string suite_dir;
  std::string document;
};

void PrintTo(const suite_docs& s, std::ostream* os) { *os << s.name; }

const std::string root = DROVER_SOURCE_ROOT;

// A suite joins once its README has the table (vstats: not yet).
std::vector<suite_docs> suites() {
  return {{"wearable", root + "/scenarios/wearable/README.md", root + "/scenarios/wearable",
           root + "/docs/protocols/wearable.md"},
          {"widb", root + "/scenarios/widb/README.md", root + "/scenarios/widb", root + "/docs/protocols/widb.md"},
          {"vstats", root + "/scenarios/vstats/README.md", root + "/scenarios/vstats", root + "/docs/protocols/vstats.md"},
          {"datakraken", root + "/scenarios/datakraken/README.md", root + "/scenarios/datakraken",
           root + "/docs/protocols/datakraken.md"},
          {"remotedev", root + "/scenarios/remotedev/README.md", root + "/scenarios/remotedev",
           root + "/docs/protocols/remotedev.md"}};
}

class RuleCoverage : public ::testing::TestWithParam<suite_docs> {
 protected:
  std::vector<coverage_row> table() { return drover::testing::read_coverage_table(GetParam().readme); }
};

TEST_P(RuleCoverage, EveryRuleOfTheDocumentHasARow) {
  auto rules = drover::testing::document_rule_ids(GetParam().document);
  ASSERT_GT(rules.size(), 10u) << "the document's § anchors were not found";
  std::map<std::string, int> rows;
  for (const auto& row : table()) ++rows[row.rule];
  for (const auto& rule : rules) EXPECT_EQ(rows[rule], 1) << "§" << rule << " needs exactly one row";
}

TEST_P(RuleCoverage, EveryRowIsARuleOfTheDocumentWithCasesOrAReason) {
  auto rules = drover::testing::document_rule_ids(GetParam().document);
  std::set<std::string> known(rules.begin(), rules.end());
  for (const auto& row : table()) {
    EXPECT_TRUE(known.count(row.rule)) << "the table names §" << row.rule << ", which the document does not have";
    EXPECT_TRUE(!row.cases.empty() || row.excuse.size() >= 10)
        << "§" << row.rule << " names no case and gives no reason (\"excused: ...\")";
  }
}

TEST_P(RuleCoverage, EveryCaseNamedExistsAndEveryCaseJudgesARule) {
  auto ids = drover::testing::suite_case_ids(GetParam().suite_dir);
  ASSERT_FALSE(ids.empty());
  std::set<std::string> defined(ids.begin(), ids.end());
  EXPECT_EQ(defined.size(), ids.size()) << "a case id is defined twice";
  std::set<std::string> named;
  for (const auto& row : table()) {
    for (const auto& id : row.cases) {
      named.insert(id);
      EXPECT_TRUE(defined.count(id)) << "§" << row.rule << " names case " << id << ", which the suite does not have";
    }
  }
  for (const auto& id : defined) EXPECT_TRUE(named.count(id)) << "case " << id << " is in no row of the table";
}

INSTANTIATE_TEST_SUITE_P(Suites, RuleCoverage, ::testing::ValuesIn(suites()),
                         [](const ::testing::TestParamInfo<suite_docs>& info) { return info.param.name; });

// The parsers themselves, on the wearable files: they must find what is plainly there.
TEST(RuleCoverageParsers, ReadTheWearableFiles) {
  auto rules = drover::testing::document_rule_ids(root + "/docs/protocols/wearable.md");
  std::set<std::string> r(rules.begin(), rules.end());
  EXPECT_TRUE(r.count("4.4"));
  EXPECT_TRUE(r.count("10")) << "§10 is one table: the section itself is the rule";
  EXPECT_FALSE(r.count("4")) << "§4 has rules of its own";
  auto ids = drover::testing::suite_case_ids(root + "/scenarios/wearable");
  std::set<std::string> c(ids.begin(), ids.end());
  EXPECT_TRUE(c.count("1.1"));
  EXPECT_TRUE(c.count("6.13"));
}

}  // namespace
