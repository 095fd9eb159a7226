#include <gtest/gtest.h>

#include "harness/protocols/validation_stats.hpp"
#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

validation_result check(direction d, std::string_view text) { return test::mini().validate(d, text); }

TEST(ValidateMode, ParsesAllOffAndSample) {
  EXPECT_EQ(parse_validate_mode("all").what, validate_mode::kind::all);
  EXPECT_EQ(parse_validate_mode("off").what, validate_mode::kind::off);
  auto s = parse_validate_mode("sample:10");
  EXPECT_EQ(s.what, validate_mode::kind::sample);
  EXPECT_EQ(s.every, 10u);
  EXPECT_EQ(s.to_string(), "sample:10");
  for (const char* bad : {"", "some", "sample:", "sample:0", "sample:-1", "sample:1x", "ALL"}) {
    EXPECT_THROW(parse_validate_mode(bad), usage_error) << bad;
  }
}

TEST(ValidationStats, SamplingValidatesEveryNthMessage) {
  validation_stats sample("mini", "documented", parse_validate_mode("sample:3"));
  std::vector<bool> picks;
  for (int i = 0; i < 7; ++i) picks.push_back(sample.should_validate());
  EXPECT_EQ(picks, (std::vector<bool>{true, false, false, true, false, false, true}));
  EXPECT_EQ(sample.skipped(), 4u);
  validation_stats off("mini", "documented", parse_validate_mode("off"));
  EXPECT_FALSE(off.should_validate());
  EXPECT_EQ(off.skipped(), 1u);
  validation_stats all("mini", "documented");
  EXPECT_TRUE(all.should_validate());
  EXPECT_EQ(all.skipped(), 0u);
}

TEST(ValidationStats, CountsPerDirectionAndTypeAndKeepsDistinctViolations) {
  validation_stats s("mini", "documented");
  s.record(direction::client, check(direction::client, R"({"op": 0})"));
  s.record(direction::server, check(direction::server, R"({"op": 2, "d": {"interval": 5}})"));
  s.record(direction::server, check(direction::server, R"({"op": 2, "d": {"interval": 0}})"));
  s.record(direction::server, check(direction::server, R"({"op": 2, "d": {"interval": -3}})"));
  s.record(direction::server, check(direction::server, R"({"op": 77})"));
  EXPECT_EQ(s.validated(), 5u);
  EXPECT_EQ(s.unknown(), 1u);
  EXPECT_EQ(s.invalid(), 3u);
  auto hello = s.by_type().at({"received", "HELLO"});
  EXPECT_EQ(hello.valid, 1u);
  EXPECT_EQ(hello.invalid, 2u);
  EXPECT_EQ(s.by_type().at({"sent", "PING"}).valid, 1u);
  ASSERT_EQ(s.violations().size(), 2u);
  EXPECT_EQ(s.violations()[0].pointer, "/d/interval");
  EXPECT_EQ(s.violations()[0].count, 2u);
  EXPECT_EQ(s.violations()[0].detail, "0 is not greater than 0");  // the first one's
  EXPECT_EQ(s.violations()[1].keyword, "discriminator");
  EXPECT_EQ(s.violations()[1].type, "");
}

TEST(ValidationStats, MergeAddsCountsAndCapsDistinctViolations) {
  validation_stats a("mini", "documented", {}, 2), b("mini", "documented", {}, 2);
  a.record(direction::server, check(direction::server, R"({"op": 2, "d": {"interval": 0}})"));
  b.record(direction::server, check(direction::server, R"({"op": 2, "d": {"interval": 0}})"));
  b.record(direction::server, check(direction::server, R"({"op": 2})"));
  b.record(direction::server, check(direction::server, R"({"op": 2, "d": {"interval": "x"}})"));
  b.should_validate();
  a.merge(b);
  EXPECT_EQ(a.validated(), 4u);
  EXPECT_EQ(a.by_type().at({"received", "HELLO"}).invalid, 4u);
  ASSERT_EQ(a.violations().size(), 2u);  // capped at 2 distinct
  EXPECT_EQ(a.violations()[0].count, 2u);
  EXPECT_EQ(a.violations()[1].keyword, "required");
}

TEST(ValidationStats, ToJsonHasTheResultDocumentShape) {
  validation_stats s("mini", "documented", parse_validate_mode("sample:2"));
  for (int i = 0; i < 4; ++i) {
    if (s.should_validate()) s.record(direction::server, check(direction::server, R"({"op": 2, "d": {}})"));
  }
  auto doc = boost::json::value(s.to_json());
  EXPECT_EQ(doc.at("protocol"), "mini");
  EXPECT_EQ(doc.at("dialect"), "documented");
  EXPECT_EQ(doc.at("mode"), "sample:2");
  EXPECT_EQ(doc.at("validated"), 2);
  EXPECT_EQ(doc.at("skipped"), 2);
  EXPECT_EQ(doc.at("unknown"), 0);
  EXPECT_EQ(doc.at("messages"), boost::json::parse(
                                    R"([{"direction": "received", "type": "HELLO", "valid": 0, "invalid": 2}])"));
  const auto& v = doc.at("violations").at(0);
  EXPECT_EQ(v.at("direction"), "received");
  EXPECT_EQ(v.at("type"), "HELLO");
  EXPECT_EQ(v.at("pointer"), "/d");
  EXPECT_EQ(v.at("keyword"), "required");
  EXPECT_EQ(v.at("count"), 2);
  EXPECT_EQ(v.at("excerpt"), R"({"op": 2, "d": {}})");
  EXPECT_FALSE(v.at("detail").as_string().empty());
}

}  // namespace
}  // namespace drover::protocols
