// The `http` global in a worker's Lua state against the in-process HTTP server: the response
// table, JSON bodies both ways, cookies (kept per client, sent back, and carried by
// ws.connect's upgrade), keep-alive within an iteration and closed at its end, error words,
// argument errors raised without leaking, and every connection released when clients end.
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "harness/metrics/recorder.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_state.hpp"
#include "harness/transport/http_client.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/ws_test_server.hpp"

namespace drover::scenario {
namespace {

std::string write_script(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/drover-unit-http-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".lua";
  std::ofstream(path) << text;
  return path;
}

// Replaces every "$URL" in text by url.
std::string with_url(std::string text, const std::string& url) {
  for (auto at = text.find("$URL"); at != std::string::npos; at = text.find("$URL", at + url.size()))
    text.replace(at, 4, url);
  return text;
}

// Clients of one script, run to completion on the test's thread.
struct lua_run {
  boost::asio::io_context io{1};
  metrics::recorder rec;
  client_environment env;
  lua_state lua;
  int function_ref = LUA_NOREF;
  std::vector<std::shared_ptr<client>> clients;

  explicit lua_run(const std::string& script, const std::string& ws_target = "")
      : env{io, nullptr, rec, transport::clock::now(), ws_target, {}, std::chrono::milliseconds(2000), {}, true} {
    install_api(lua.get(), env);
    lua.run_file(write_script(script));
    lua_getglobal(lua.get(), "client");
    function_ref = luaL_ref(lua.get(), LUA_REGISTRYINDEX);
  }

  void start(int count, long long iterations) {
    for (int i = 1; i <= count; ++i) {
      clients.push_back(std::make_shared<client>(env, lua.get(), i, iterations, function_ref, LUA_NOREF, [](client&) {}));
      clients.back()->start();
    }
  }
  void run(int count, long long iterations) {
    start(count, iterations);
    io.run();
    io.restart();
  }

  double counter(const std::string& name) const {
    auto* e = rec.find(name);
    return e && e->counter ? e->counter->total : -1;
  }
  // Names of the checks that failed, with their first detail, and any Lua error.
  std::string problems() const {
    std::string out;
    for (const auto& [name, stats] : rec.checks())
      if (stats.fails) out += "check " + name + " failed: " + stats.first_failure + "\n";
    if (auto it = rec.errors().find("lua_error"); it != rec.errors().end())
      for (const auto& s : it->second.samples) out += s + "\n";
    return out;
  }
  std::uint64_t passes() const {
    std::uint64_t n = 0;
    for (const auto& [name, stats] : rec.checks()) n += stats.passes;
    return n;
  }
};

test::http_server_options handled(std::function<test::http_answer(const test::http_seen&)> f) {
  test::http_server_options o;
  o.handler = std::move(f);
  return o;
}

TEST(HttpApi, ResponseTableHasStatusHeadersBodyJsonAndTimings) {
  test::http_test_server server(handled([](const test::http_seen& s) {
    test::http_answer a;
    a.status = 202;
    a.headers = {{"Content-Type", "application/problem+json; charset=utf-8"},
                 {"X-Multi", "1"}, {"X-Multi", "2"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"},
                 {"X-Target", s.target}, {"X-Test", s.header("x-test")}};
    a.body = R"({"ok":true,"items":[10,20]})";
    return a;
  }));
  lua_run r(with_url(R"(
    function client()
      local res = assert(http.get("$URL/j", { headers = { ["X-Test"] = "yes" }, query = { k = "a b" } }))
      check("status", res.status == 202, res.status)
      check("status_text", res.status_text == "Accepted", res.status_text)
      check("names are lower case", res.headers["x-test"] == "yes", res.headers["x-test"])
      check("query appended", res.headers["x-target"] == "/j?k=a%20b", res.headers["x-target"])
      check("repeats joined", res.headers["x-multi"] == "1, 2", res.headers["x-multi"])
      local cookies = res.headers["set-cookie"]
      check("set-cookie is a list", type(cookies) == "table" and #cookies == 2 and cookies[2] == "b=2")
      check("+json decoded", res.json and res.json.ok == true and res.json.items[2] == 20, res.body)
      check("body kept", res.body == '{"ok":true,"items":[10,20]}', res.body)
      local t = res.timings
      check("timings", t.duration > 0 and t.waiting >= 0 and t.connecting >= 0 and t.tls == 0 and
            math.abs(t.duration - (t.sending + t.waiting + t.receiving)) < 1e-6)
      check("url", res.url == "$URL/j" and res.reused == false, res.url)
    end)", server.url("")));
  r.run(1, 1);
  EXPECT_EQ(r.problems(), "");
  EXPECT_EQ(r.passes(), 10u);
  EXPECT_EQ(r.counter("http_reqs"), 1);
}

TEST(HttpApi, TableBodiesAreSentAsJsonAndStringBodiesAsTheyAre) {
  test::http_test_server server;
  lua_run r(with_url(R"(
    function client()
      local res = assert(http.post("$URL/p", { name = "x", list = json.array({ 1, 2 }) }))
      check("echoed", res.json.method == "POST" and res.json.target == "/p", res.body)
      local sent = json.decode(res.json.body)
      check("json body", sent.name == "x" and #sent.list == 2, res.json.body)
      res = assert(http.request({ method = "put", url = "$URL/q", body = "plain", headers = { ["Content-Type"] = "text/plain" } }))
      check("put", res.json.method == "PUT" and res.json.body == "plain", res.body)
      res = assert(http.post("$URL/e"))
      check("empty post", res.json.body == "", res.body)
    end)", server.url("")));
  r.run(1, 1);
  EXPECT_EQ(r.problems(), "");
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].header("content-type"), "application/json");
  EXPECT_EQ(seen[1].header("content-type"), "text/plain");
  EXPECT_EQ(seen[2].header("content-length"), "0");
}

TEST(HttpApi, CookiesRoundTripPerClientAndReachTheWebSocketUpgrade) {
  test::http_test_server server(handled([](const test::http_seen& s) {
    test::http_answer a;
    if (s.target.rfind("/login", 0) == 0)
      a.headers = {{"Set-Cookie", "sid=" + s.target.substr(10) + "; Path=/; Max-Age=60"},
                   {"Set-Cookie", "elsewhere=1; Path=/other"}};
    a.body = s.header("cookie");
    return a;
  }));
  test::ws_test_server ws;
  std::string base = server.url("");
  lua_run r(with_url(R"(
    function client()
      assert(http.get("$URL/login?id=" .. vu.id))
      local res = assert(http.get("$URL/check"))
      check("sent back", res.body == "sid=" .. vu.id, res.body)
      local jar = http.cookies("$URL/check")
      check("inspectable", jar.sid == tostring(vu.id) and jar.elsewhere == nil)
      local conn = assert(ws.connect(nil, { headers = { Cookie = "mine=1" } }))
      conn:close()
      http.clear_cookies()
      res = assert(http.get("$URL/check"))
      check("cleared", res.body == "", res.body)
    end)", base), ws.url());
  r.run(1, 1);
  EXPECT_EQ(r.problems(), "");
  ASSERT_TRUE(ws.last_request().has_value());
  EXPECT_EQ(ws.last_request()->header("cookie"), "mine=1; sid=1")
      << "the upgrade request carries the jar's cookie after the script's own";
  lua_run two(with_url(R"(
    function client()
      assert(http.get("$URL/login?id=" .. vu.id))
      local res = assert(http.get("$URL/check"))
      check("own cookie only", res.body == "sid=" .. vu.id, res.body)
    end)", base));
  two.run(3, 1);
  EXPECT_EQ(two.problems(), "");
}

TEST(HttpApi, KeepAliveWithinAnIterationAndClosedAtItsEnd) {
  test::http_test_server server;
  std::size_t before = transport::live_http_connections();
  lua_run r(with_url(R"(
    function client()
      for i = 1, 3 do
        local res = assert(http.get("$URL/n"))
        check("reuse", res.reused == (i > 1))
      end
    end)", server.url("")));
  r.run(2, 2);
  EXPECT_EQ(r.problems(), "");
  EXPECT_EQ(server.connections(), 4u) << "one connection per client and iteration";
  EXPECT_EQ(server.requests().size(), 12u);
  EXPECT_EQ(transport::live_http_connections(), before);
}

TEST(HttpApi, TransportFailuresAreNilErrorWordAndMessage) {
  test::http_test_server server(handled([](const test::http_seen& s) {
    test::http_answer a;
    a.body = std::string(s.target == "/big" ? 4096 : 10, 'x');
    if (s.target == "/slow") a.delay_ms = 3000;
    return a;
  }));
  auto refused = "http://127.0.0.1:" + std::to_string(test::unused_port());
  std::string base = server.url("");
  lua_run r(with_url("REFUSED = '" + refused + R"(/'
    function client()
      local res, err, msg = http.get(REFUSED)
      check("refused", res == nil and err == "connection_refused" and msg:find("refused"), msg)
      res, err, msg = http.get("$URL/big", { max_body = 1000 })
      check("body_too_big", res == nil and err == "body_too_big", msg)
      res, err, msg = http.get("$URL/slow", { timeout = 100 })
      check("timeout", res == nil and err == "timeout" and msg:find("100 ms"), msg)
      res = http.get("$URL/small")
      check("still usable", res and res.status == 200)
    end)", base));
  r.run(1, 1);
  EXPECT_EQ(r.problems(), "");
}

TEST(HttpApi, BadArgumentsRaiseLuaErrorsAndLeaveNothing) {
  test::http_test_server server;
  std::size_t before = transport::live_http_connections();
  lua_run r(with_url(R"(
    function client()
      local ok, err = pcall(http.get, 42)
      check("url type", not ok and err:find("expected an http"), err)
      ok, err = pcall(http.get, "ftp://x/")
      check("scheme", not ok and err:find("http:// or https://"), err)
      ok, err = pcall(http.post, "$URL/", function() end)
      check("body type", not ok and err:find("string or a table"), err)
      ok, err = pcall(http.get, "$URL/", { headers = { ["X-Bad"] = "a\r\nInjected: 1" } })
      check("header injection", not ok and err:find("CR, LF"), err)
      ok, err = pcall(http.request, { url = "$URL/", method = "GE T" })
      check("method", not ok and err:find("method"), err)
      ok, err = pcall(function() return http.nope end)
      check("unknown function", not ok and err:find("http.nope does not exist"), err)
      check("live", http.live_connections() >= 0)
    end)", server.url("")));
  r.run(3, 2);
  EXPECT_EQ(r.problems(), "");
  EXPECT_EQ(r.passes(), 3u * 2u * 7u);
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(transport::live_http_connections(), before);
}

TEST(HttpApi, AbortedClientReleasesItsRequestInFlight) {
  test::http_test_server server(handled([](const test::http_seen&) {
    test::http_answer a;
    a.delay_ms = 3000;
    return a;
  }));
  std::size_t before = transport::live_http_connections();
  lua_run r(with_url(R"(
    function client()
      http.get("$URL/slow")
      metrics.counter("resumed")
    end)", server.url("")));
  r.start(5, 1);
  for (int i = 0; i < 200 && server.requests().size() < 5; ++i) r.io.run_for(std::chrono::milliseconds(10));
  ASSERT_EQ(server.requests().size(), 5u);
  EXPECT_EQ(transport::live_http_connections(), before + 5);
  for (auto& c : r.clients) c->abort();
  r.io.restart();
  r.io.run_for(std::chrono::milliseconds(200));
  EXPECT_EQ(transport::live_http_connections(), before);
  EXPECT_EQ(r.counter("resumed"), -1) << "an aborted client is never resumed";
}

}  // namespace
}  // namespace drover::scenario
