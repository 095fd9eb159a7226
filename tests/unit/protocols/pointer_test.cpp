#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "harness/protocols/json_locate.hpp"
#include "harness/protocols/json_pointer.hpp"
#include "harness/protocols/violation.hpp"

namespace drover::protocols {
namespace {

TEST(JsonPointer, EscapesTildeAndSlashInTokens) {
  EXPECT_EQ(escape_pointer_token("a/b~c"), "a~1b~0c");
  EXPECT_EQ(append_pointer("/d", "x/y"), "/d/x~1y");
  EXPECT_EQ(append_pointer("", ""), "/");
}

TEST(JsonPointer, TurnsValijsonContextIntoPointer) {
  EXPECT_EQ(context_to_pointer({"<root>"}), "");
  EXPECT_EQ(context_to_pointer({"<root>", "[d]", "[heartbeat_interval]"}), "/d/heartbeat_interval");
  EXPECT_EQ(context_to_pointer({"<root>", "[logEntries]", "[3]"}), "/logEntries/3");
  EXPECT_EQ(context_to_pointer({"<root>", "[a/b]", "[~x]"}), "/a~1b/~0x");
}

TEST(JsonPointer, DottedPathsBecomePointersAndFindNestedFields) {
  EXPECT_EQ(dotted_path_to_pointer("op"), "/op");
  EXPECT_EQ(dotted_path_to_pointer("data.channel"), "/data/channel");
  auto v = boost::json::parse(R"({"data": {"channel": "log", "list": [1, {"x": 2}]}})");
  ASSERT_NE(find_dotted(v, "data.channel"), nullptr);
  EXPECT_EQ(*find_dotted(v, "data.channel"), "log");
  ASSERT_NE(find_dotted(v, "data.list.1.x"), nullptr);
  EXPECT_EQ(*find_dotted(v, "data.list.1.x"), 2);
  EXPECT_EQ(find_dotted(v, "data.list.2"), nullptr);
  EXPECT_EQ(find_dotted(v, "data.list.x"), nullptr);
  EXPECT_EQ(find_dotted(v, "data.channel.more"), nullptr);
  EXPECT_EQ(find_dotted(v, "missing"), nullptr);
}

TEST(Excerpt, KeepsShortTextAndCutsLongTextOnACharacterBoundary) {
  EXPECT_EQ(make_excerpt("{\"op\":0}"), "{\"op\":0}");
  EXPECT_EQ(make_excerpt("a\nb"), "a b");
  std::string long_text(300, 'x');
  EXPECT_EQ(make_excerpt(long_text).size(), 200u);
  EXPECT_TRUE(make_excerpt(long_text).ends_with("..."));
  // 99 two-byte characters: a cut at byte 197 would split one.
  std::string accents;
  for (int i = 0; i < 120; ++i) accents += "\xC3\xA9";
  std::string cut = make_excerpt(accents);
  EXPECT_LE(cut.size(), 200u);
  EXPECT_EQ((cut.size() - 3) % 2, 0u);
}

TEST(JsonLocate, FindsTheLineOfAPointersValue) {
  std::string text = "{\n  \"op\": 5,\n  \"d\": {\n    \"a\": [1,\n      2],\n    \"b/c\": \"x\"\n  }\n}\n";
  EXPECT_EQ(line_of_pointer(text, ""), 1u);
  EXPECT_EQ(line_of_pointer(text, "/op"), 2u);
  EXPECT_EQ(line_of_pointer(text, "/d"), 3u);
  EXPECT_EQ(line_of_pointer(text, "/d/a/1"), 5u);
  EXPECT_EQ(line_of_pointer(text, "/d/b~1c"), 6u);
  EXPECT_EQ(line_of_pointer(text, "/d/missing"), 3u);  // the deepest value found
}

}  // namespace
}  // namespace drover::protocols
