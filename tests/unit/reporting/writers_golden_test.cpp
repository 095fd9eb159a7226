#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

using testing::compare_with_golden;
using testing::sample_conform_document;
using testing::sample_run_document;

TEST(ConsoleWriter, RunMatchesGolden) {
  EXPECT_EQ(compare_with_golden("run_console.txt", render_console(sample_run_document(), false)), "");
}

TEST(ConsoleWriter, ConformMatchesGolden) {
  EXPECT_EQ(compare_with_golden("conform_console.txt", render_console(sample_conform_document(), false)), "");
}

TEST(ConsoleWriter, ColourOnlyWhenAsked) {
  const auto doc = sample_run_document();
  EXPECT_EQ(render_console(doc, false).find('\x1b'), std::string::npos);
  EXPECT_NE(render_console(doc, true).find("\x1b["), std::string::npos);
}

TEST(JunitWriter, RunMatchesGolden) {
  EXPECT_EQ(compare_with_golden("run_junit.xml", render_junit(sample_run_document())), "");
}

TEST(JunitWriter, ConformMatchesGolden) {
  EXPECT_EQ(compare_with_golden("conform_junit.xml", render_junit(sample_conform_document())), "");
}

TEST(HtmlWriter, RunMatchesGolden) {
  EXPECT_EQ(compare_with_golden("run_report.html", render_html(sample_run_document())), "");
}

TEST(HtmlWriter, ConformMatchesGolden) {
  EXPECT_EQ(compare_with_golden("conform_report.html", render_html(sample_conform_document())), "");
}

TEST(JsonWriter, RunMatchesGolden) {
  EXPECT_EQ(compare_with_golden("run_summary.json", render_json(sample_run_document())), "");
}

}  // namespace
}  // namespace drover::reporting
