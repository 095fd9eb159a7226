// The real drover binary running a scenario that uses `http` next to `ws` against the echo
// fake: the fake answers plain HTTP requests with 426 and Connection: close, which gives a
// status, a body and headers to check, a connection that must not be reused, and failures for
// http_req_failed; a port with no listener gives the transport error. The summary, the
// console and the report carry the built-in http_* metrics.
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"
#include "tests/integration/summary_read.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

const char* const scenario = R"(
options = {
  vus = 4, iterations = 3,
  thresholds = { http_req_duration = "p99 < 5000", http_reqs = "count == 24", checks = "rate == 1" },
}

function client()
  local res, err, msg = http.get(env.HTTP .. "/health", { headers = { Accept = "text/plain" } })
  if check("answered", res ~= nil, msg) then
    check("status 426", res.status == 426, res.status)
    check("body says why", res.body:find("WebSocket endpoint", 1, true) ~= nil, res.body)
    check("close honoured", res.headers.connection == "close" and res.reused == false, res.headers.connection)
    check("no json for text/plain", res.json == nil)
  end
  local none, word, why = http.get(env.REFUSED)
  check("refused", none == nil and word == "connection_refused", why)
  local conn = assert(ws.connect())
  conn:send({ hello = vu.id })
  check("ws still works", conn:recv(2000) ~= nil)
  conn:close()
end

function teardown()
  local live = http.live_connections()
  if live ~= 0 then error(live .. " HTTP connection(s) still alive after the run") end
  local ok, err = pcall(function() return http.get("http://127.0.0.1/") end)
  assert(not ok and err:find("requests are made from client"), err)
end
)";

TEST(HttpRun, ScenarioUsingHttpAndWsAgainstTheEchoFakeRecordsHttpMetrics) {
  fake_process fake("echo");
  auto out = temp_dir("http-run");
  std::string path = out + "/http_scenario.lua";
  std::ofstream(path) << scenario;
  auto http_base = "http://127.0.0.1:" + std::to_string(fake.port());
  auto refused = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
  auto r = run_process({drover, "run", path, "--target", fake.url(), "--env", "HTTP=" + http_base, "--env",
                        "REFUSED=" + refused, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_EQ(metric(doc, "http_reqs", "count"), 24);
  EXPECT_EQ(metric(doc, "http_req_duration", "count"), 12) << "a duration for every response";
  EXPECT_EQ(metric(doc, "http_req_waiting", "count"), 12);
  EXPECT_EQ(metric(doc, "http_req_connecting", "count"), 12);
  EXPECT_EQ(metric(doc, "http_req_failed", "rate"), 1) << "426 and refused both count as failed (k6)";
  EXPECT_EQ(metric(doc, "ws_sessions", "count"), 12);
  bool refused_counted = false;
  for (const auto& e : doc.at("errors").as_array())
    if (e.at("kind").as_string() == "http_connection_refused") refused_counted = e.at("count").to_number<int>() == 12;
  EXPECT_TRUE(refused_counted) << boost::json::serialize(doc.at("errors"));
  EXPECT_NE(r.out.find("http_req_duration"), std::string::npos) << "the console lists the HTTP trends";
  EXPECT_NE(read_file(out + "/report.html").find("http_req_waiting"), std::string::npos);
}

TEST(HttpRun, BreachedHttpThresholdFailsTheRun) {
  fake_process fake("echo");
  auto out = temp_dir("http-threshold");
  std::string path = out + "/http_threshold.lua";
  std::ofstream(path) << R"(
options = { vus = 1, iterations = 2, thresholds = { http_req_failed = "rate < 0.5" } }
function client() http.get(env.HTTP .. "/") end
)";
  auto r = run_process({drover, "run", path, "--target", fake.url(), "--env",
                        "HTTP=http://127.0.0.1:" + std::to_string(fake.port()), "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

}  // namespace
}  // namespace drover::test
