// The cookie jar against the rules of RFC 6265 section 5 it implements: host-only and Domain
// cookies, default and explicit paths, Max-Age and Expires (time moved by the test), Secure,
// replacement, order, and the date algorithm.
#include <gtest/gtest.h>

#include "harness/transport/cookie_jar.hpp"
#include "harness/transport/http_client.hpp"

namespace drover::transport::testing {
namespace {

using namespace std::chrono_literals;
using time_point = cookie_jar::time_point;

const time_point t0 = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};

ws_url url(const char* text) { return parse_http_url(text); }

TEST(CookieJar, HostOnlyCookieGoesBackToTheSameHostOnly) {
  cookie_jar jar;
  EXPECT_TRUE(jar.store(url("http://example.com/"), "sid=abc", t0));
  EXPECT_EQ(jar.header_for(url("http://example.com/x"), t0), "sid=abc");
  EXPECT_EQ(jar.header_for(url("http://EXAMPLE.com:8080/"), t0), "sid=abc") << "cookies ignore the port";
  EXPECT_EQ(jar.header_for(url("http://www.example.com/"), t0), "");
  EXPECT_EQ(jar.header_for(url("http://other.com/"), t0), "");
  EXPECT_EQ(jar.header_for(parse_ws_url("ws://example.com/ws"), t0), "sid=abc") << "WebSocket upgrades too";
}

TEST(CookieJar, DomainAttributeCoversSubdomainsAndForeignDomainsAreRefused) {
  cookie_jar jar;
  EXPECT_TRUE(jar.store(url("http://a.example.com/"), "d=1; Domain=.Example.com", t0));
  EXPECT_EQ(jar.header_for(url("http://example.com/"), t0), "d=1");
  EXPECT_EQ(jar.header_for(url("http://b.example.com/"), t0), "d=1");
  EXPECT_EQ(jar.header_for(url("http://notexample.com/"), t0), "");
  EXPECT_FALSE(jar.store(url("http://a.example.com/"), "x=1; Domain=other.com", t0));
  EXPECT_FALSE(jar.store(url("http://example.com/"), "x=1; Domain=a.example.com", t0)) << "a subdomain is not ours";
  EXPECT_FALSE(jar.store(url("http://127.0.0.1/"), "x=1; Domain=0.0.1", t0)) << "no suffix match on IP addresses";
  EXPECT_EQ(jar.size(), 1u);
}

TEST(CookieJar, PathDefaultsToTheRequestDirectoryAndMatchesBySegments) {
  cookie_jar jar;
  jar.store(url("http://h/api/session?x=1"), "a=1", t0);  // default path /api
  jar.store(url("http://h/"), "b=2; Path=/docs", t0);
  jar.store(url("http://h/"), "c=3; Path=relative", t0);  // not absolute: default path /
  EXPECT_EQ(jar.header_for(url("http://h/api"), t0), "a=1; c=3");
  EXPECT_EQ(jar.header_for(url("http://h/api/x/y"), t0), "a=1; c=3");
  EXPECT_EQ(jar.header_for(url("http://h/apix"), t0), "c=3") << "/api does not match /apix";
  EXPECT_EQ(jar.header_for(url("http://h/docs/1"), t0), "b=2; c=3") << "longer paths first";
  EXPECT_EQ(jar.header_for(url("http://h/"), t0), "c=3");
}

TEST(CookieJar, MaxAgeExpiresAndZeroDeletes) {
  cookie_jar jar;
  jar.store(url("http://h/"), "short=1; Max-Age=10", t0);
  jar.store(url("http://h/"), "session=2", t0);
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + 9s), "short=1; session=2");
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + 10s), "session=2");
  EXPECT_TRUE(jar.store(url("http://h/"), "session=gone; Max-Age=0", t0 + 11s));
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + 11s), "");
  EXPECT_EQ(jar.size(), 0u);
}

TEST(CookieJar, ExpiresIsReadAndMaxAgeWinsOverIt) {
  cookie_jar jar;
  jar.store(url("http://h/"), "e=1; Expires=Thu, 01 Jan 2026 00:01:00 GMT", t0);
  jar.store(url("http://h/"), "m=2; Expires=Thu, 01 Jan 2026 00:00:01 GMT; Max-Age=3600", t0);
  jar.store(url("http://h/"), "past=3; Expires=Wed, 31 Dec 2025 23:00:00 GMT", t0);
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + 30s), "e=1; m=2");
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + 120s), "m=2");
}

TEST(CookieJar, LifetimesAreCappedAt400Days) {
  cookie_jar jar;
  jar.store(url("http://h/"), "forever=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", t0);
  jar.store(url("http://h/"), "long=2; Max-Age=99999999999999999999", t0);
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + std::chrono::days(399)), "forever=1; long=2");
  EXPECT_EQ(jar.header_for(url("http://h/"), t0 + std::chrono::days(401)), "");
}

TEST(CookieJar, SecureCookiesTravelOnlyOverTls) {
  cookie_jar jar;
  jar.store(url("https://h/"), "s=1; Secure; HttpOnly; SameSite=Strict", t0);
  EXPECT_EQ(jar.header_for(url("https://h/"), t0), "s=1");
  EXPECT_EQ(jar.header_for(parse_ws_url("wss://h/"), t0), "s=1");
  EXPECT_EQ(jar.header_for(url("http://h/"), t0), "");
  EXPECT_EQ(jar.header_for(parse_ws_url("ws://h/"), t0), "");
}

TEST(CookieJar, SameNameDomainAndPathReplacesKeepingItsPlace) {
  cookie_jar jar;
  jar.store(url("http://h/"), "a=1", t0);
  jar.store(url("http://h/"), "b=2", t0);
  jar.store(url("http://h/"), "a=3", t0);
  EXPECT_EQ(jar.header_for(url("http://h/"), t0), "a=3; b=2");
  EXPECT_EQ(jar.size(), 2u);
}

TEST(CookieJar, MalformedCookiesAreRefusedAndValuesTrimmed) {
  cookie_jar jar;
  EXPECT_FALSE(jar.store(url("http://h/"), "novalue", t0));
  EXPECT_FALSE(jar.store(url("http://h/"), "=v", t0));
  EXPECT_TRUE(jar.store(url("http://h/"), "  k  =  v w ; Path=/", t0));
  EXPECT_TRUE(jar.store(url("http://h/"), "t=x; Max-Age=soon", t0)) << "a bad Max-Age is ignored, not the cookie";
  EXPECT_EQ(jar.header_for(url("http://h/"), t0), "k=v w; t=x");
}

TEST(CookieJar, SizeIsBoundedOldestFirst) {
  cookie_jar jar;
  for (std::size_t i = 0; i < cookie_jar::max_cookies + 5; ++i)
    jar.store(url("http://h/"), "c" + std::to_string(i) + "=1", t0);
  EXPECT_EQ(jar.size(), cookie_jar::max_cookies);
  EXPECT_EQ(jar.header_for(url("http://h/"), t0).rfind("c5=1", 0), 0u);
}

TEST(CookieDate, ReadsTheUsualFormatsAndRefusesNonDates) {
  time_point t;
  const time_point expected = std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 37s;
  ASSERT_TRUE(parse_cookie_date("Sun, 06 Nov 1994 08:49:37 GMT", t));
  EXPECT_EQ(t, expected);
  ASSERT_TRUE(parse_cookie_date("Sunday, 06-Nov-94 08:49:37 GMT", t));
  EXPECT_EQ(t, expected);
  ASSERT_TRUE(parse_cookie_date("Sun Nov  6 08:49:37 1994", t));
  EXPECT_EQ(t, expected);
  EXPECT_FALSE(parse_cookie_date("tomorrow", t));
  EXPECT_FALSE(parse_cookie_date("Sun, 31 Feb 2026 08:49:37 GMT", t));
  EXPECT_FALSE(parse_cookie_date("Sun, 06 Nov 1994 25:49:37 GMT", t));
}

}  // namespace
}  // namespace drover::transport::testing
