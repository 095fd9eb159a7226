#include <random>

#include <gtest/gtest.h>

#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

const std::string* identified(direction d, std::string_view text, std::string_view dialect = {}) {
  const message_entry* m = test::mini().identify(d, text, dialect);
  return m ? &m->name : nullptr;
}

std::string name_of(direction d, std::string_view text, std::string_view dialect = {}) {
  const std::string* n = identified(d, text, dialect);
  return n ? *n : "(none)";
}

TEST(Protocol, LoadsNameDialectsCloseCodesAndTiming) {
  const auto& p = test::mini();
  EXPECT_EQ(p.name(), "mini");
  EXPECT_EQ(p.discriminator(), "op");
  EXPECT_EQ(p.default_dialect(), "documented");
  EXPECT_TRUE(p.has_dialect("v1"));
  ASSERT_NE(p.find_close_code(4001), nullptr);
  EXPECT_EQ(p.find_close_code(4001)->name, "WORSE_THING");
  EXPECT_EQ(p.find_close_code(1000), nullptr);
  EXPECT_EQ(p.timing().at("hello_ms"), 100);
  ASSERT_NE(p.find_message("HELLO"), nullptr);
  EXPECT_NE(p.find_message("HELLO")->validator, nullptr);
  EXPECT_EQ(p.find_message("FLAGGED")->validator, nullptr);
}

TEST(Protocol, FirstMatchingEntryOfTheDirectionWins) {
  EXPECT_EQ(name_of(direction::client, R"({"op": 0})"), "PING");
  EXPECT_EQ(name_of(direction::server, R"({"op": 0})"), "(none)");
  EXPECT_EQ(name_of(direction::server, R"({"op": 2, "d": {}})"), "HELLO");
  EXPECT_EQ(name_of(direction::server, R"({"op": 5, "d": {"kind": "tick"}})"), "TICK");
  EXPECT_EQ(name_of(direction::server, R"({"op": 5, "d": {"kind": "tock"}})"), "EVENT");
}

TEST(Protocol, MatchValuesCompareAsJson) {
  EXPECT_EQ(name_of(direction::client, R"({"op": 0.0})"), "PING");  // numbers by value
  EXPECT_EQ(name_of(direction::client, R"({"op": "0"})"), "(none)");
  EXPECT_EQ(name_of(direction::client, R"({"op": false})"), "(none)");
  EXPECT_EQ(name_of(direction::client, R"({"op": null})"), "(none)");
}

TEST(Protocol, ExistsTestsPresenceAndNullCountsAsPresent) {
  EXPECT_EQ(name_of(direction::server, R"({"op": 9, "flag": 1})"), "FLAGGED");
  EXPECT_EQ(name_of(direction::server, R"({"op": 9, "flag": null})"), "FLAGGED");
  EXPECT_EQ(name_of(direction::server, R"({"op": 9})"), "UNFLAGGED");
}

TEST(Protocol, DottedPathsIndexArrays) {
  EXPECT_EQ(name_of(direction::server, R"({"op": 11, "list": ["a", "b"]})"), "SECOND");
  EXPECT_EQ(name_of(direction::server, R"({"op": 11, "list": ["b", "a"]})"), "(none)");
}

TEST(Protocol, TextFramesMatchExactlyInTheirDialect) {
  EXPECT_EQ(name_of(direction::server, "#1", "v1"), "PING_TEXT");
  EXPECT_EQ(name_of(direction::server, "", "v1"), "EMPTY_PING");
  EXPECT_EQ(name_of(direction::server, "#1 ", "v1"), "(none)");
  EXPECT_EQ(name_of(direction::server, "#1"), "(none)");  // documented has no text frames
  EXPECT_EQ(name_of(direction::client, "#2", "v1"), "PONG_TEXT");
  auto r = test::mini().validate(direction::server, "#1", "v1");
  EXPECT_TRUE(r.valid());
  EXPECT_TRUE(r.json_ok);
  ASSERT_NE(r.message, nullptr);
  EXPECT_EQ(r.message->name, "PING_TEXT");
}

TEST(Protocol, EntriesWithDialectsOnlyMatchInThem) {
  EXPECT_EQ(name_of(direction::client, R"({"op": 7})", "v1"), "NEW_ONLY");
  EXPECT_EQ(name_of(direction::client, R"({"op": 7})", "documented"), "(none)");
  EXPECT_EQ(name_of(direction::client, R"({"op": 0})", "v1"), "PING");  // no "dialects": all
}

TEST(Protocol, ValidMessagePassesAndInvalidOneNamesTheMessageType) {
  const auto& p = test::mini();
  auto ok = p.validate(direction::server, R"({"op": 2, "d": {"interval": 1000}})");
  EXPECT_TRUE(ok.valid());
  EXPECT_TRUE(ok.json_ok);
  EXPECT_EQ(ok.message->name, "HELLO");
  auto bad = p.validate(direction::server, R"({"op": 2, "d": {"interval": 0}})");
  ASSERT_EQ(bad.violations.size(), 1u);
  EXPECT_EQ(bad.message->name, "HELLO");
  EXPECT_EQ(bad.violations[0].message_name, "HELLO");
  EXPECT_EQ(bad.violations[0].pointer, "/d/interval");
  EXPECT_EQ(bad.violations[0].keyword, "exclusiveMinimum");
  EXPECT_EQ(bad.violations[0].excerpt, R"({"op": 2, "d": {"interval": 0}})");
}

TEST(Protocol, UnknownTypeIsADiscriminatorViolation) {
  auto r = test::mini().validate(direction::server, R"({"op": 42})");
  EXPECT_TRUE(r.json_ok);
  EXPECT_EQ(r.message, nullptr);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].keyword, "discriminator");
  EXPECT_EQ(r.violations[0].pointer, "/op");
  EXPECT_NE(r.violations[0].detail.find("42"), std::string::npos);
  auto missing = test::mini().validate(direction::server, R"({"type": 1})");
  ASSERT_EQ(missing.violations.size(), 1u);
  EXPECT_NE(missing.violations[0].detail.find("no \"op\" field"), std::string::npos);
}

TEST(Protocol, InvalidJsonIsAJsonViolation) {
  auto r = test::mini().validate(direction::server, R"({"op": 2,)");
  EXPECT_FALSE(r.json_ok);
  EXPECT_EQ(r.message, nullptr);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].keyword, "json");
  EXPECT_EQ(r.violations[0].pointer, "");
  EXPECT_NE(r.violations[0].detail.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(r.violations[0].excerpt, R"({"op": 2,)");
}

TEST(Protocol, ArraysOfClientPacketsAreValidatedOneByOne) {
  const auto& p = test::mini();
  auto ok = p.validate(direction::client, R"([{"op": 0}, {"op": 0, "ts": "2024-01-01T00:00:00Z"}])");
  EXPECT_TRUE(ok.valid());
  ASSERT_NE(ok.message, nullptr);
  EXPECT_EQ(ok.message->name, "PING");
  auto bad = p.validate(direction::client, R"([{"op": 0}, {"op": 0, "ts": 5}])");
  ASSERT_EQ(bad.violations.size(), 1u);
  EXPECT_EQ(bad.violations[0].pointer, "/1/ts");
  auto server = p.validate(direction::server, R"([{"op": 2}])");  // only clients send arrays
  ASSERT_EQ(server.violations.size(), 1u);
  EXPECT_EQ(server.violations[0].keyword, "discriminator");
  EXPECT_FALSE(p.validate(direction::client, "[]").valid());
}

TEST(Protocol, ValidateNeverThrowsOnGarbage) {
  const auto& p = test::mini();
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<std::string> inputs = {"", " ", "null", "[]", "{}", "\"x\"", std::string(100, '['),
                                     std::string(100000, '['), "{\"op\":" + std::string(500, '9') + "}",
                                     std::string("{\"op\":2,\"d\":{\"interval\":1e400}}"), std::string("\0\xff\xfe", 3),
                                     "{\"op\": 5, \"d\": {\"kind\": \"tick\", \"v\": " + std::string(70, '[') + "}}"};
  for (int i = 0; i < 300; ++i) {
    std::string s;
    int n = byte(random);
    for (int j = 0; j < n; ++j) s += static_cast<char>(byte(random));
    inputs.push_back(s);
  }
  for (const auto& text : inputs) {
    for (direction d : {direction::client, direction::server}) {
      for (std::string_view dialect : {"", "v1", "no-such-dialect"}) {
        validation_result r;
        EXPECT_NO_THROW(r = p.validate(d, text, dialect));
        EXPECT_NO_THROW(p.identify(d, text, dialect));
      }
    }
  }
}

TEST(Protocol, DirectionNames) {
  EXPECT_EQ(to_string(direction::client), "client");
  EXPECT_EQ(parse_direction("server"), direction::server);
  EXPECT_EQ(parse_direction("sent"), std::nullopt);
}

}  // namespace
}  // namespace drover::protocols
