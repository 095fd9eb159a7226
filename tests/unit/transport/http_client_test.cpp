// http_client against the in-process HTTP server: requests and answers, keep-alive reuse
// (counted in TCP accepts), Connection: close, a stale kept-alive connection, timeouts,
// refused connections, the body limit, https, the built-in metrics, and that every connection
// object is released.
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <strings.h>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/transport/http_client.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/ws_test_server.hpp"

namespace drover::transport::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// One http_client on a private io_context; each call waits for its completion (10 s at most).
struct sync_http {
  boost::asio::io_context io{1};
  metrics::recorder rec;
  std::unique_ptr<boost::asio::ssl::context> tls;
  std::optional<http_client> client;

  explicit sync_http(tls_options t = {}) : tls(make_tls_context(t)) { client.emplace(io, tls.get(), &rec); }
  ~sync_http() {
    client.reset();
    drain();
  }

  http_response send(http_request req) {
    std::optional<http_response> out;
    client->async_request(std::move(req), [&](http_response r) { out = std::move(r); });
    auto until = clock::now() + 10s;
    while (!out && clock::now() < until) {
      io.restart();
      io.run_one_for(20ms);
    }
    if (!out) ADD_FAILURE() << "no completion within 10 s";
    return out.value_or(http_response{});
  }
  http_response get(const std::string& url, std::size_t max_body = 10 << 20) {
    http_request req;
    req.url = parse_http_url(url);
    req.max_body = max_body;
    return send(std::move(req));
  }
  void drain() {
    io.restart();
    io.poll();
  }
  double counter(const char* name) const {
    auto* e = rec.find(name);
    return e && e->counter ? e->counter->total : -1;
  }
  std::uint64_t trend_count(const char* name) const {
    auto* e = rec.find(name);
    return e && e->trend ? e->trend->values.count() : 0;
  }
  std::pair<std::uint64_t, std::uint64_t> rate(const char* name) const {
    auto* e = rec.find(name);
    return e && e->rate ? std::pair{e->rate->trues, e->rate->total} : std::pair<std::uint64_t, std::uint64_t>{0, 0};
  }
};

test::http_answer reply(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  test::http_answer a;
  a.status = status;
  a.body = std::move(body);
  a.headers = std::move(headers);
  return a;
}

using rate_pair = std::pair<std::uint64_t, std::uint64_t>;

test::http_server_options handled(std::function<test::http_answer(const test::http_seen&)> f) {
  test::http_server_options o;
  o.handler = std::move(f);
  return o;
}

http_request get_request(const std::string& url) {
  http_request r;
  r.url = parse_http_url(url);
  return r;
}

std::string header(const http_response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k.size() == name.size() && strncasecmp(k.c_str(), name.c_str(), k.size()) == 0) return v;
  return {};
}

TEST(HttpClient, GetReturnsStatusHeadersBodyAndTimings) {
  test::http_test_server server(handled([](const test::http_seen& s) {
    return reply(201, "hello " + s.method, {{"Content-Type", "text/plain"}, {"X-Seen", s.target}});
  }));
  sync_http h;
  auto r = h.get(server.url("/a/b?x=1"));
  ASSERT_TRUE(r) << r.message;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.reason, "Created");
  EXPECT_EQ(r.body, "hello GET");
  EXPECT_EQ(header(r, "x-seen"), "/a/b?x=1");
  EXPECT_FALSE(r.reused);
  EXPECT_GE(r.timings.connecting, 0);
  EXPECT_EQ(r.timings.tls, 0);
  EXPECT_GT(r.timings.duration(), 0);
  auto seen = server.last_request().value();
  EXPECT_EQ(seen.header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen.header("user-agent"), "drover");
}

TEST(HttpClient, PostSendsBodyHeadersAndContentLength) {
  test::http_test_server server;
  sync_http h;
  http_request req;
  req.method = "POST";
  req.url = parse_http_url(server.url("/submit"));
  req.headers = {{"Content-Type", "application/json"}, {"X-Token", "t1"}, {"Content-Length", "999"}};
  req.body = R"({"a":1})";
  auto r = h.send(req);
  ASSERT_TRUE(r) << r.message;
  auto seen = server.last_request().value();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, R"({"a":1})");
  EXPECT_EQ(seen.header("content-length"), "7") << "the script's Content-Length never overrides the framing";
  EXPECT_EQ(seen.header("x-token"), "t1");
  EXPECT_EQ(seen.header("content-type"), "application/json");
}

TEST(HttpClient, KeepAliveSendsSeveralRequestsOverOneConnection) {
  test::http_test_server server;
  std::size_t before = live_http_connections();
  sync_http h;
  for (int i = 0; i < 5; ++i) {
    auto r = h.get(server.url("/n" + std::to_string(i)));
    ASSERT_TRUE(r) << r.message;
    EXPECT_EQ(r.reused, i > 0) << i;
    if (i > 0) {
      EXPECT_EQ(r.timings.connecting, 0);
    }
  }
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(h.client->idle_connections(), 1u);
  EXPECT_EQ(live_http_connections(), before + 1);
  h.client->close_idle();
  h.drain();
  EXPECT_EQ(h.client->idle_connections(), 0u);
  EXPECT_EQ(live_http_connections(), before) << "closing the idle connections releases them";
  EXPECT_TRUE(h.get(server.url("/again")));
  EXPECT_EQ(server.connections(), 2u);
}

TEST(HttpClient, ConnectionCloseFromTheServerIsHonoured) {
  test::http_test_server server(handled([](const test::http_seen&) {
    auto a = reply(200, "bye");
    a.close = true;
    return a;
  }));
  std::size_t before = live_http_connections();
  sync_http h;
  for (int i = 0; i < 3; ++i) {
    auto r = h.get(server.url());
    ASSERT_TRUE(r) << r.message;
    EXPECT_FALSE(r.reused);
    EXPECT_EQ(header(r, "connection"), "close");
  }
  EXPECT_EQ(server.connections(), 3u);
  EXPECT_EQ(h.client->idle_connections(), 0u);
  h.drain();
  EXPECT_EQ(live_http_connections(), before);
}

TEST(HttpClient, StaleKeptAliveConnectionIsReplacedOnce) {
  test::http_test_server server(handled([](const test::http_seen&) {
    auto a = reply(200, "ok");
    a.hang_up = true;  // says keep-alive, closes anyway
    return a;
  }));
  sync_http h;
  ASSERT_TRUE(h.get(server.url("/1")));
  ASSERT_TRUE(test::ws_test_server::eventually([&] { return server.connections() == 1; }));
  std::this_thread::sleep_for(50ms);  // the server's close reaches us
  auto r = h.get(server.url("/2"));
  ASSERT_TRUE(r) << r.message;
  EXPECT_FALSE(r.reused) << "sent again on a fresh connection";
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(HttpClient, SlowServerTimesOutWithTheLimitInTheMessage) {
  test::http_test_server server(handled([](const test::http_seen&) {
    auto a = reply(200, "late");
    a.delay_ms = 3000;
    return a;
  }));
  sync_http h;
  http_request req;
  req.url = parse_http_url(server.url());
  req.timeout = 150ms;
  auto started = clock::now();
  auto r = h.send(req);
  EXPECT_EQ(r.error, http_error::timeout) << r.message;
  EXPECT_NE(r.message.find("150 ms"), std::string::npos) << r.message;
  EXPECT_LT(clock::now() - started, 2s);
  EXPECT_EQ(h.rate("http_req_failed"), (rate_pair{1, 1}));
}

TEST(HttpClient, RefusedConnectionIsAnErrorWordAndCounted) {
  sync_http h;
  auto r = h.get("http://127.0.0.1:" + std::to_string(test::unused_port()) + "/");
  EXPECT_EQ(r.error, http_error::connection_refused) << r.message;
  EXPECT_EQ(std::string(to_string(r.error)), "connection_refused");
  EXPECT_NE(r.message.find("127.0.0.1:"), std::string::npos);
  EXPECT_EQ(h.counter("http_reqs"), 1);
  EXPECT_EQ(h.rate("http_req_failed").first, 1u);
  EXPECT_EQ(h.rec.errors().count("http_connection_refused"), 1u);
  EXPECT_EQ(h.trend_count("http_req_duration"), 0u) << "no response, no timings";
}

TEST(HttpClient, BodyAboveMaxBodyIsRefused) {
  test::http_test_server server(handled([](const test::http_seen&) {
    return reply(200, std::string(5000, 'x'));
  }));
  sync_http h;
  auto r = h.get(server.url(), 1000);
  EXPECT_EQ(r.error, http_error::body_too_big) << r.message;
  EXPECT_NE(r.message.find("1000 bytes"), std::string::npos) << r.message;
  auto ok = h.get(server.url(), 5000);
  EXPECT_TRUE(ok) << ok.message;
  EXPECT_EQ(ok.body.size(), 5000u);
}

TEST(HttpClient, MetricsFollowK6AndCountStatus400AndAboveAsFailed) {
  test::http_test_server server(handled([](const test::http_seen& s) {
    return reply(s.target == "/missing" ? 404 : 200, "x");
  }));
  sync_http h;
  EXPECT_TRUE(h.get(server.url("/")));
  EXPECT_TRUE(h.get(server.url("/")));
  auto missing = h.get(server.url("/missing"));
  EXPECT_TRUE(missing) << "an HTTP error status is a response, not a transport failure";
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(h.counter("http_reqs"), 3);
  EXPECT_EQ(h.rate("http_req_failed"), (rate_pair{1, 3}));
  for (const char* t : {"http_req_duration", "http_req_connecting", "http_req_tls_handshaking", "http_req_sending",
                        "http_req_waiting", "http_req_receiving"})
    EXPECT_EQ(h.trend_count(t), 3u) << t;
  EXPECT_EQ(h.counter("ws_errors"), -1) << "HTTP failures are not WebSocket errors";
}

TEST(HttpClient, HeadRequestHasNoBodyAndKeepsTheConnection) {
  test::http_test_server server;
  sync_http h;
  http_request req;
  req.method = "HEAD";
  req.url = parse_http_url(server.url());
  auto r = h.send(req);
  ASSERT_TRUE(r) << r.message;
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(h.get(server.url()));
  EXPECT_EQ(server.connections(), 1u);
}

TEST(HttpClient, AbortCancelsARequestInFlightAndReleasesItsConnection) {
  test::http_test_server server(handled([](const test::http_seen&) {
    auto a = reply(200, "late");
    a.delay_ms = 3000;
    return a;
  }));
  std::size_t before = live_http_connections();
  sync_http h;
  std::optional<http_response> out;
  h.client->async_request(get_request(server.url()), [&](http_response r) { out = std::move(r); });
  for (int i = 0; i < 100 && server.requests().empty(); ++i) {
    h.io.restart();
    h.io.run_one_for(10ms);
  }
  ASSERT_EQ(server.requests().size(), 1u);
  h.client->abort();
  for (int i = 0; i < 100 && !out; ++i) {
    h.io.restart();
    h.io.run_one_for(10ms);
  }
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->error, http_error::cancelled);
  h.drain();
  EXPECT_EQ(live_http_connections(), before);
  EXPECT_EQ(h.counter("http_reqs"), -1) << "a request we cancelled is not the server's failure";
}

TEST(HttpClient, InvalidRequestsAreRefusedBeforeSending) {
  http_request req;
  req.url = parse_http_url("http://127.0.0.1/");
  req.headers = {{"X-Bad", "a\r\nInjected: yes"}};
  EXPECT_NE(check_http_request(req).find("CR, LF"), std::string::npos);
  req.headers = {{"Bad Name", "v"}};
  EXPECT_NE(check_http_request(req).find("Bad Name"), std::string::npos);
  req.headers = {};
  req.method = "GE T";
  EXPECT_FALSE(check_http_request(req).empty());
  req.method = "PATCH";
  EXPECT_EQ(check_http_request(req), "");
}

TEST(HttpUrl, ParsesHttpAndHttpsAndRejectsOtherSchemes) {
  auto u = parse_http_url("https://example.com/a?b=1");
  EXPECT_TRUE(u.secure);
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/a?b=1");
  EXPECT_EQ(parse_http_url("http://[::1]:8080").target, "/");
  EXPECT_EQ(parse_http_url("http://[::1]:8080").host, "::1");
  EXPECT_EQ(parse_http_url("http://h").port, "80");
  try {
    parse_http_url("ftp://h/");
    ADD_FAILURE() << "ftp accepted";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("http:// or https://"), std::string::npos);
  }
  try {
    parse_http_url("http://h:99999/");
    ADD_FAILURE() << "bad port accepted";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("'http://h:99999/'"), std::string::npos) << e.what();
  }
}

// https with a certificate made at test time (the openssl CLI), as ws_connection_tls_test.
class HttpClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/drover-http-tls-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    cert_ = (dir_ / "localhost.pem").string();
    key_ = (dir_ / "localhost.key").string();
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout '" + key_ + "' -out '" + cert_ +
                      "' -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0 || !fs::exists(cert_)) cert_.clear();
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  static test::http_server_options serving_tls() {
    test::http_server_options o;
    o.cert_file = cert_;
    o.key_file = key_;
    return o;
  }
  void SetUp() override {
    if (cert_.empty()) GTEST_SKIP() << "the openssl CLI could not make a certificate";
  }
  static inline fs::path dir_;
  static inline std::string cert_, key_;
};

TEST_F(HttpClientTls, HttpsWithTheCaFileWorksAndReusesTheTlsConnection) {
  test::http_test_server server(serving_tls());
  sync_http h({false, cert_});
  auto r = h.get(server.url("/s", "localhost"));
  ASSERT_TRUE(r) << r.message;
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"/s\""), std::string::npos) << r.body;
  EXPECT_GT(r.timings.tls, 0);
  auto again = h.get(server.url("/t", "localhost"));
  ASSERT_TRUE(again) << again.message;
  EXPECT_TRUE(again.reused);
  EXPECT_EQ(again.timings.tls, 0);
  EXPECT_EQ(server.connections(), 1u);
}

TEST_F(HttpClientTls, SelfSignedCertificateIsRefusedUnlessInsecure) {
  test::http_test_server server(serving_tls());
  sync_http strict;
  auto r = strict.get(server.url("/", "localhost"));
  EXPECT_EQ(r.error, http_error::tls) << r.message;
  EXPECT_NE(r.message.find("certificate"), std::string::npos) << r.message;
  sync_http insecure({true, ""});
  auto ok = insecure.get(server.url("/", "127.0.0.1"));
  EXPECT_TRUE(ok) << ok.message;
}

}  // namespace
}  // namespace drover::transport::testing
