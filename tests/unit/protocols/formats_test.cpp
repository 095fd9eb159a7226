#include <gtest/gtest.h>

#include "harness/protocols/formats.hpp"
#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

TEST(Formats, DateTimeFollowsRfc3339) {
  EXPECT_TRUE(matches_format("date-time", "2022-05-04T10:26:11.268507+01:00"));
  EXPECT_TRUE(matches_format("date-time", "2024-01-01T12:00:00Z"));
  EXPECT_TRUE(matches_format("date-time", "2024-02-29t00:00:00z"));
  EXPECT_TRUE(matches_format("date-time", "1998-12-31T23:59:60Z"));
  EXPECT_TRUE(matches_format("date-time", "1998-12-31T15:59:60-08:00"));
  EXPECT_FALSE(matches_format("date-time", "2024-01-01T12:00:00"));  // no offset
  EXPECT_FALSE(matches_format("date-time", "2023-02-29T00:00:00Z"));
  EXPECT_FALSE(matches_format("date-time", "2024-01-01 12:00:00Z"));
  EXPECT_FALSE(matches_format("date-time", "2024-01-01T24:00:00Z"));
  EXPECT_FALSE(matches_format("date-time", "2024-01-01T12:00:60Z"));  // not a leap second moment
  EXPECT_FALSE(matches_format("date-time", "2024-01-01T12:00:00.Z"));
  EXPECT_FALSE(matches_format("date-time", "2024-01-01T12:00:00+1:00"));
  EXPECT_FALSE(matches_format("date-time", ""));
}

TEST(Formats, DateTimeIpv4Ipv6AndUncheckedFormats) {
  EXPECT_TRUE(matches_format("date", "2024-12-31"));
  EXPECT_FALSE(matches_format("date", "2024-13-01"));
  EXPECT_TRUE(matches_format("time", "08:30:06.283185Z"));
  EXPECT_FALSE(matches_format("time", "08:30:06"));
  EXPECT_TRUE(matches_format("ipv4", "127.0.0.1"));
  EXPECT_FALSE(matches_format("ipv4", "256.0.0.1"));
  EXPECT_TRUE(matches_format("ipv6", "::1"));
  EXPECT_FALSE(matches_format("ipv6", "12345::"));
  EXPECT_TRUE(matches_format("email", "anything"));
  EXPECT_FALSE(is_checked_format("email"));
  EXPECT_TRUE(is_checked_format("date-time"));
}

TEST(Formats, SchemaFormatIgnoresNonStringsAndNamesTheFormat) {
  auto v = test::compile(R"({"properties": {"ts": {"format": "date-time"}}})");
  EXPECT_TRUE(v.validate(boost::json::parse(R"({"ts": "2024-01-01T12:00:00Z"})")).empty());
  EXPECT_TRUE(v.validate(boost::json::parse(R"({"ts": 5})")).empty());
  EXPECT_TRUE(v.validate(boost::json::parse(R"({"ts": {"a": 1}})")).empty());
  EXPECT_TRUE(v.validate(boost::json::parse(R"({"ts": [1, 2]})")).empty());
  auto found = v.validate(boost::json::parse(R"({"ts": "yesterday"})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].keyword, "format");
  EXPECT_EQ(found[0].pointer, "/ts");
  EXPECT_NE(found[0].detail.find("date-time"), std::string::npos);
}

}  // namespace
}  // namespace drover::protocols
