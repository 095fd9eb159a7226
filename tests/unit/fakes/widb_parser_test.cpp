// The WiDB fake's log line parser (fakes/widb/log_lines.*): the three formats of
// docs/protocols/widb.md §5.3, their variants (padding, spaces in tags, empty and tabbed text),
// and lines that must not parse.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/widb/log_lines.hpp"

namespace drover::fakes::widb {
namespace {

namespace json = boost::json;

json::object parsed(std::string_view line) {
  auto p = parse_log_line(line);
  EXPECT_TRUE(p.has_value()) << line;
  return p ? p->entry : json::object{};
}

TEST(WidbLogLines, ThreadtimeLineParses) {
  auto e = parsed("05-24 12:12:49.247 23930 23945 E AndroidRuntime: FATAL EXCEPTION: main");
  EXPECT_EQ(e["format"], "threadtime");
  EXPECT_EQ(e["date"], "05-24");
  EXPECT_EQ(e["time"], "12:12:49.247");
  EXPECT_EQ(e["pid"], 23930);
  EXPECT_EQ(e["tid"], 23945);
  EXPECT_EQ(e["logLevel"], "E");
  EXPECT_EQ(e["tag"], "AndroidRuntime");
  EXPECT_EQ(e["text"], "FATAL EXCEPTION: main");  // the first ": " ends the tag
}

TEST(WidbLogLines, ThreadtimePaddingTabsSpacesInTagsAndEmptyText) {
  auto e = parsed("05-24 12:12:49.247  1234  1240 I WiDB Example  : \tat dalvik.system.NativeStart.main(Native Method)");
  EXPECT_EQ(e["pid"], 1234);
  EXPECT_EQ(e["tag"], "WiDB Example");
  EXPECT_EQ(e["text"], "\tat dalvik.system.NativeStart.main(Native Method)");
  auto empty = parsed("05-24 12:12:49.247 1 2 D Tag:");
  EXPECT_EQ(empty["text"], "");
}

TEST(WidbLogLines, StudioLineParses) {
  auto p = parse_log_line("05-22 11:44:31.180 7080-7081/com.google.wireless.debugging I/WiDB Example: aX: 3.0262709");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->format, line_format::studio);
  auto& e = p->entry;
  EXPECT_EQ(e["pid"], 7080);
  EXPECT_EQ(e["tid"], 7081);
  EXPECT_EQ(e["package"], "com.google.wireless.debugging");
  EXPECT_EQ(e["logLevel"], "I");
  EXPECT_EQ(e["tag"], "WiDB Example");
  EXPECT_EQ(e["text"], "aX: 3.0262709");
}

TEST(WidbLogLines, IosLineParses) {
  auto p = parse_log_line("2024-05-22 11:44:31.180+0200 Hangouts[812:5123] Connected to chat server");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->format, line_format::ios);
  auto& e = p->entry;
  EXPECT_EQ(e["date"], "2024-05-22");
  EXPECT_EQ(e["time"], "11:44:31.180");
  EXPECT_EQ(e["zone"], "+0200");
  EXPECT_EQ(e["process"], "Hangouts");
  EXPECT_EQ(e["pid"], 812);
  EXPECT_EQ(e["tid"], "5123");
  EXPECT_EQ(e["text"], "Connected to chat server");
  auto hex = parsed("2024-05-22 11:44:31.180-07:00 My App[9:0x1a2b] x");
  EXPECT_EQ(hex["process"], "My App");
  EXPECT_EQ(hex["tid"], "0x1a2b");
  EXPECT_EQ(hex["zone"], "-07:00");
}

TEST(WidbLogLines, LinesInNoFormatDoNotParse) {
  for (std::string_view line : {"", "plain text", "05-24 12:12 truncated", "05-24 12:12:49.247 1 2 Q Tag: bad level",
                                "05-24 12:12:49.247 1 2 E no colon here", "2024-05-22 11:44:31.180 Hangouts[1:2] no zone",
                                "2024-05-22 11:44:31.180+0200 Hangouts no brackets", "05-22 11:44:31.180 7080/pkg I/T: x"}) {
    EXPECT_FALSE(parse_log_line(line).has_value()) << line;
  }
}

TEST(WidbLogLines, SplitSkipsEmptyLinesAndCarriageReturns) {
  auto lines = split_lines("a\r\n\nb\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "b");
  EXPECT_TRUE(split_lines("").empty());
  EXPECT_EQ(split_lines("one").size(), 1u);
}

}  // namespace
}  // namespace drover::fakes::widb
