#include <gtest/gtest.h>

#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"
#include "harness/common/url.hpp"

namespace drover {
namespace {

TEST(WsUrl, ParsesSchemeHostPortAndTarget) {
  auto u = parse_ws_url("ws://127.0.0.1:9001/ws?token=a%20b");
  EXPECT_FALSE(u.secure);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "9001");
  EXPECT_EQ(u.target, "/ws?token=a%20b");
  EXPECT_EQ(u.host_header(), "127.0.0.1:9001");
}

TEST(WsUrl, DefaultsPortAndPath) {
  auto u = parse_ws_url("wss://example.test");
  EXPECT_TRUE(u.secure);
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/");
  EXPECT_EQ(u.host_header(), "example.test");
  EXPECT_EQ(parse_ws_url("ws://h?x=1").target, "/?x=1");
  EXPECT_EQ(parse_ws_url("ws://h/p#frag").target, "/p");
}

TEST(WsUrl, ParsesBracketedIpv6) {
  auto u = parse_ws_url("ws://[::1]:8000/socketcluster/");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "8000");
  EXPECT_EQ(u.host_header(), "[::1]:8000");
}

TEST(WsUrl, RejectsWhatIsNotAWebSocketUrlNamingTheProblem) {
  struct bad {
    const char* url;
    const char* says;
  };
  for (auto [url, says] : {bad{"http://h/", "ws:// or wss://"}, bad{"ws://", "host is missing"},
                           bad{"ws://h:99999/", "between 1 and 65535"}, bad{"ws://h:x/", "must be a number"},
                           bad{"ws://[::1]x/", "unexpected text after the host"},
                           bad{"ws://h:/", "port is empty"}, bad{"ws://[::1/", "unclosed"},
                           bad{"ws://h/a b", "percent-encoded"}, bad{"ws://u@h/", "user info"}}) {
    try {
      parse_ws_url(url);
      ADD_FAILURE() << url << " was accepted";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(url), std::string::npos) << e.what();
    }
  }
}

TEST(WsUrl, AppendQueryEncodesAndKeepsExistingQuery) {
  EXPECT_EQ(append_query("/ws", {{"token", "a b&c"}}), "/ws?token=a%20b%26c");
  EXPECT_EQ(append_query("/ws?x=1", {{"fault", "no-ack"}}), "/ws?x=1&fault=no-ack");
}

TEST(Duration, ParsesUnitsAndCombinations) {
  using std::chrono::milliseconds;
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("2m"), milliseconds(120'000));
  EXPECT_EQ(parse_duration("1m30s"), milliseconds(90'000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1'500));
  EXPECT_EQ(parse_duration("400"), milliseconds(400));
}

TEST(Duration, RejectsGarbage) {
  for (const char* text : {"", "s", "10x", "ten", "1s2", "-5s", "1..2s"}) {
    EXPECT_THROW(parse_duration(text), usage_error) << text;
  }
}

TEST(Duration, FormatsShortestExactUnit) {
  using std::chrono::milliseconds;
  EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_duration(milliseconds(30'000)), "30s");
  EXPECT_EQ(format_duration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(format_duration(milliseconds(7'200'000)), "2h");
}

}  // namespace
}  // namespace drover
