// drover report compare for conform results (reporting/compare_cases.hpp): verdicts side by
// side, changed cases first, a worse verdict than the first run's is a regression.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/reporting/compare_cases.hpp"

namespace drover::reporting::compare {
namespace {

namespace json = boost::json;

json::object conform(std::initializer_list<std::pair<const char*, const char*>> cases) {
  json::array items;
  for (const auto& [id, verdict] : cases)
    items.push_back(json::object{{"id", id}, {"title", std::string("case ") + id}, {"verdict", verdict}});
  return json::object{{"command", "conform"}, {"cases", std::move(items)}};
}

const case_row& at(const case_matrix& m, std::string_view id) {
  for (const auto& r : m.rows)
    if (r.id == id) return r;
  throw std::runtime_error("no case " + std::string(id));
}

TEST(CompareCases, VerdictSeverityOrdersOkBelowFailed) {
  EXPECT_EQ(verdict_severity("OK"), 0);
  EXPECT_EQ(verdict_severity("INFORMATIONAL"), 0);
  EXPECT_LT(verdict_severity("OK"), verdict_severity("NON-STRICT"));
  EXPECT_LT(verdict_severity("NON-STRICT"), verdict_severity("UNIMPLEMENTED"));
  EXPECT_LT(verdict_severity("UNIMPLEMENTED"), verdict_severity("FAILED"));
  EXPECT_EQ(verdict_severity("garbage"), verdict_severity("FAILED"));
}

TEST(CompareCases, ChangedVerdictsComeFirstAndWorseIsARegression) {
  const auto base = conform({{"1.1", "OK"}, {"1.2", "OK"}, {"1.3", "FAILED"}, {"1.4", "OK"}, {"1.5", "OK"}});
  const auto next = conform({{"1.1", "OK"}, {"1.2", "FAILED"}, {"1.3", "OK"}, {"1.4", "INFORMATIONAL"}, {"1.5", "OK"}});
  const auto m = compare_cases({&base, &next});
  ASSERT_EQ(m.rows.size(), 5u);
  // Differing rows first, each group in the suite's order.
  EXPECT_EQ(m.rows[0].id, "1.2");
  EXPECT_EQ(m.rows[1].id, "1.3");
  EXPECT_EQ(m.rows[2].id, "1.4");
  EXPECT_EQ(m.rows[3].id, "1.1");
  EXPECT_EQ(m.rows[4].id, "1.5");
  EXPECT_EQ(at(m, "1.2").verdict, mark::regression);
  EXPECT_EQ(at(m, "1.3").verdict, mark::improvement);
  EXPECT_EQ(at(m, "1.4").verdict, mark::changed);  // same severity, another verdict
  EXPECT_EQ(at(m, "1.1").verdict, mark::unchanged);
  EXPECT_FALSE(at(m, "1.1").differs);
  EXPECT_EQ(*at(m, "1.2").verdicts[1], "FAILED");
  EXPECT_EQ(at(m, "1.2").title, "case 1.2");
}

TEST(CompareCases, CasesMissingFromARunAreNewOrGone) {
  const auto base = conform({{"1.1", "OK"}, {"1.2", "OK"}});
  const auto next = conform({{"1.1", "OK"}, {"1.3", "OK"}});
  const auto m = compare_cases({&base, &next});
  EXPECT_EQ(at(m, "1.2").verdict, mark::gone);
  EXPECT_FALSE(at(m, "1.2").verdicts[1].has_value());
  EXPECT_EQ(at(m, "1.3").verdict, mark::added);
  EXPECT_TRUE(at(m, "1.3").differs);
}

TEST(CompareCases, SeveralRunsSideBySideAreJudgedAgainstTheFirst) {
  const auto a = conform({{"1", "OK"}, {"2", "NON-STRICT"}, {"3", "OK"}});
  const auto b = conform({{"1", "OK"}, {"2", "OK"}, {"3", "OK"}});
  const auto c = conform({{"1", "FAILED"}, {"2", "OK"}, {"3", "OK"}});
  const auto m = compare_cases({&a, &b, &c});
  ASSERT_EQ(m.rows.size(), 3u);
  EXPECT_EQ(at(m, "1").verdicts.size(), 3u);
  EXPECT_EQ(at(m, "1").verdict, mark::regression);  // the third run failed it
  EXPECT_EQ(at(m, "2").verdict, mark::improvement);
  EXPECT_EQ(at(m, "3").verdict, mark::unchanged);
  EXPECT_EQ(m.rows.back().id, "3");
}

}  // namespace
}  // namespace drover::reporting::compare
