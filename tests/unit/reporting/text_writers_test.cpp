#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

TEST(ConsoleWriter, ListsFailingChecksFirstAndEndsWithTheStatus) {
  const std::string out = render_console(testing::sample_run_document(), false);
  const auto failing = out.find("\xE2\x9C\x97 status is 101");
  const auto passing = out.find("\xE2\x9C\x93 welcome received");
  ASSERT_NE(failing, std::string::npos);
  ASSERT_NE(passing, std::string::npos);
  EXPECT_LT(failing, passing);
  EXPECT_NE(out.find("first failure: got 403 Forbidden"), std::string::npos);
  const auto last_line = out.substr(out.rfind('\n', out.size() - 2) + 1);
  EXPECT_EQ(last_line, "\xE2\x9C\x97 thresholds_breached: 2 of 3 thresholds breached (exit 1)\n");
}

TEST(ConsoleWriter, NeutralisesTerminalEscapesFromServerData) {
  auto rec = testing::sample_recorder();
  rec.add_error("protocol", "bad\x1b]0;pwned\x07 frame\nsecond line");
  const auto doc = build_result_document(testing::sample_run_info(), rec, {}, {1, "checks_failed", ""}, nullptr,
                                         nullptr);
  const std::string out = render_console(doc, true);
  EXPECT_EQ(out.find("\x1b]"), std::string::npos);
  EXPECT_NE(out.find("bad?]0;pwned? frame second line"), std::string::npos);
}

TEST(JunitWriter, EscapesAndDropsCharactersXmlCannotCarry) {
  metrics::recorder rec;
  rec.add_check("a < b & \"c\"", false, std::string("bell\x07 'x'"));
  const auto doc = build_result_document(testing::sample_run_info(), rec, {}, {1, "checks_failed", ""}, nullptr,
                                         nullptr);
  const std::string xml = render_junit(doc);
  EXPECT_NE(xml.find("name=\"a &lt; b &amp; &quot;c&quot;\""), std::string::npos);
  EXPECT_NE(xml.find("message=\"bell\xEF\xBF\xBD &#39;x&#39;\""), std::string::npos);
  EXPECT_EQ(xml.find('\x07'), std::string::npos);
}

TEST(JunitWriter, UnreachableRunIsAnError) {
  const auto doc = build_result_document(testing::sample_run_info(), metrics::recorder{}, {},
                                         {3, "unreachable", "ws://127.0.0.1:9001/ws: connection refused"}, nullptr,
                                         nullptr);
  const std::string xml = render_junit(doc);
  EXPECT_NE(xml.find("<testsuites name=\"drover run scenarios/load/widb_phones.lua\" tests=\"1\" failures=\"0\" "
                     "errors=\"1\""),
            std::string::npos);
  EXPECT_NE(xml.find("<error message=\"ws://127.0.0.1:9001/ws: connection refused\" type=\"unreachable\"/>"),
            std::string::npos);
}

TEST(JsonWriter, PrettyPrintsInDocumentOrderAndRoundTrips) {
  const auto doc = testing::sample_run_document();
  const std::string text = render_json(doc);
  EXPECT_EQ(text.rfind("{\n  \"schema_version\": 1,\n  \"tool\": {", 0), 0u);
  EXPECT_EQ(render_json(json::parse(text)), text);
  EXPECT_EQ(testing::schema_violations(json::parse(text)), "");
}

TEST(JsonWriter, RepairsInvalidUtf8) {
  const std::string text = render_json(json::object{{"k", std::string("a\xff" "b")}});
  EXPECT_EQ(text, "{\n  \"k\": \"a\xEF\xBF\xBD" "b\"\n}\n");
  EXPECT_NO_THROW(json::parse(text));
}

TEST(Escape, RepairsUtf8AndEscapesMarkup) {
  EXPECT_EQ(html_escape("<a href='x'>&</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(valid_utf8("ok \xE2\x9C\x93 \xC0\xAF \xED\xA0\x80"), "ok \xE2\x9C\x93 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(terminal_line("abcdef", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(display_width("\xE2\x9C\x93 ok"), 4u);
}

}  // namespace
}  // namespace drover::reporting
