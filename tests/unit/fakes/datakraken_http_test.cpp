// The DataKraken fake's HTTP side: the ticket answer, the visitor cookie, the record endpoint,
// keep-alive and pipelining, 404/405/426, and an upgrade after HTTP on one connection.
#include <set>

#include <gtest/gtest.h>

#include <boost/beast/websocket.hpp>

#include "datakraken_support.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {
namespace {

using namespace test;

TEST(DatakrakenHttp, TicketAnswerHasEveryFieldAndSetsAVisitorCookie) {
  auto server = start_datakraken(dk_config());
  http_client client(server->port());
  http_result r = client.get("/api/session");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  json::object o = r.json();
  ASSERT_TRUE(o["ticket"].is_string());
  EXPECT_FALSE(o["ticket"].get_string().empty());
  ASSERT_TRUE(o["session"].is_string());
  EXPECT_FALSE(o["session"].get_string().empty());
  EXPECT_EQ(o["ttl"], 15);
  EXPECT_EQ(o["listeners"], (json::array{"click", "mousemove"}));
  EXPECT_EQ(o["ws"], "/ws");
  std::string cookie = r.header("Set-Cookie");
  ASSERT_EQ(cookie.rfind("dk_visitor=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  std::string visitor = cookie.substr(11, cookie.find(';') - 11);
  EXPECT_GE(visitor.size(), 16u);
}

TEST(DatakrakenHttp, CookieIsKeptWhenPresentAndReplacedWhenMalformed) {
  auto server = start_datakraken(dk_config());
  ticket_answer first = issue(server->port());
  ASSERT_FALSE(first.visitor.empty());
  ticket_answer again = issue(server->port(), "", "theme=dark; dk_visitor=" + first.visitor + "; other=1");
  EXPECT_EQ(again.http.count("Set-Cookie"), 0) << again.http.header("Set-Cookie");
  json::object rec = record(server->port(), again.session).json();
  EXPECT_EQ(rec["visitor"], json::value(first.visitor)) << "the record names the visitor the cookie carried";
  ticket_answer quoted = issue(server->port(), "", "dk_visitor=\"" + first.visitor + "\"");
  EXPECT_EQ(quoted.http.count("Set-Cookie"), 0);
  for (const std::string& malformed : {std::string("dk_visitor=<script>; theme=x"), std::string("dk_visitor=a b"),
                                       std::string("dk_visitor="), "dk_visitor=" + std::string(65, 'v')}) {
    ticket_answer bad = issue(server->port(), "", malformed);
    EXPECT_FALSE(bad.visitor.empty()) << malformed << ": a malformed value is replaced";
    EXPECT_NE(bad.visitor, first.visitor);
  }
  ticket_answer other = issue(server->port(), "", "session=abc");
  EXPECT_FALSE(other.visitor.empty()) << "other cookies are not a visitor";
}

TEST(DatakrakenHttp, EveryAnswerIsANewTicketAndSession) {
  auto server = start_datakraken(dk_config());
  http_client client(server->port());
  std::set<std::string> tickets, sessions;
  for (int i = 0; i < 200; ++i) {
    http_result r = client.get("/api/session", {{"Cookie", "dk_visitor=same-visitor"}});
    ASSERT_EQ(r.status, 200) << r.error;
    json::object o = r.json();
    tickets.insert(std::string(o["ticket"].as_string()));
    sessions.insert(std::string(o["session"].as_string()));
  }
  EXPECT_EQ(tickets.size(), 200u);
  EXPECT_EQ(sessions.size(), 200u);
}

TEST(DatakrakenHttp, KeepAliveServesManyRequestsOnOneConnectionUntilClose) {
  auto server = start_datakraken(dk_config());
  http_client client(server->port());
  for (int i = 0; i < 30; ++i) {
    http_result r = client.get(i % 3 == 2 ? "/nowhere" : "/api/session");
    ASSERT_EQ(r.status, i % 3 == 2 ? 404 : 200) << "request " << i << ": " << r.error;
    EXPECT_NE(r.header("Connection"), "close");
  }
  http_result last = client.get("/api/session", {{"Connection", "close"}});
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.header("Connection"), "close");
  EXPECT_TRUE(client.closed_by_server(3000ms));
}

TEST(DatakrakenHttp, Http10IsAnsweredThenClosedUnlessItAsksForKeepAlive) {
  auto server = start_datakraken(dk_config());
  {
    http_client client(server->port());
    http_result r = client.request("GET", "/api/session", {}, 5000ms, 10);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(client.closed_by_server(3000ms));
  }
  http_client client(server->port());
  EXPECT_EQ(client.request("GET", "/api/session", {{"Connection", "keep-alive"}}, 5000ms, 10).status, 200);
  EXPECT_EQ(client.request("GET", "/api/session", {{"Connection", "keep-alive"}}, 5000ms, 10).status, 200);
}

TEST(DatakrakenHttp, PipelinedRequestsAreAnsweredInOrder) {
  auto server = start_datakraken(dk_config());
  ticket_answer t = issue(server->port());
  std::string bytes;
  std::vector<int> expected;
  for (int i = 0; i < 12; ++i) {
    switch (i % 4) {
      case 0: bytes += "GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n"; expected.push_back(200); break;
      case 1: bytes += "GET /api/session/" + t.session + " HTTP/1.1\r\nHost: x\r\n\r\n"; expected.push_back(200); break;
      case 2: bytes += "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"; expected.push_back(405); break;
      default: bytes += "GET /x HTTP/1.1\r\nHost: x\r\n\r\n"; expected.push_back(404); break;
    }
  }
  http_client client(server->port());
  auto answers = client.raw(bytes, 12);
  ASSERT_EQ(answers.size(), 12u);
  for (std::size_t i = 0; i < answers.size(); ++i) EXPECT_EQ(answers[i].status, expected[i]) << "answer " << i;
  EXPECT_EQ(answers[1].json()["session"], json::value(t.session));
}

TEST(DatakrakenHttp, UnknownPathsAre404OtherMethods405AndWsWithoutUpgrade426) {
  auto server = start_datakraken(dk_config());
  ticket_answer t = issue(server->port());
  http_client client(server->port());
  for (const char* path : {"/", "/api", "/api/sessions", "/api/session/", "/api/session/a/b", "/wss"})
    EXPECT_EQ(client.get(path).status, 404) << path;
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}) {
    for (const std::string& path : {std::string("/api/session"), "/api/session/" + t.session}) {
      http_result r = client.request(method, path);
      EXPECT_EQ(r.status, 405) << method << " " << path;
      EXPECT_EQ(r.header("Allow"), "GET") << method << " " << path;
    }
  }
  http_result ws = client.get("/ws?ticket=" + t.ticket);
  EXPECT_EQ(ws.status, 426);
  EXPECT_EQ(client.get("/api/session").status, 200) << "the connection is still served";
  EXPECT_EQ(test_client(server->port(), ws_target(t.ticket)).http_status(), 101u) << "a plain GET does not use the ticket";
}

TEST(DatakrakenHttp, RecordIsVisibleFromIssueAnd404WhileUnknown) {
  auto server = start_datakraken(dk_config());
  EXPECT_EQ(record(server->port(), "0123456789abcdef").status, 404);
  ticket_answer t = issue(server->port());
  http_result r = record(server->port(), t.session);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  json::object o = r.json();
  EXPECT_EQ(o["state"], "issued");
  EXPECT_EQ(o["final"], false);
  EXPECT_EQ(counts(o), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_EQ(o["duration_ms"], 0);
  EXPECT_EQ(o["ended_cleanly"], false);
  EXPECT_EQ(o["session"], json::value(t.session));
  EXPECT_EQ(record(server->port(), t.session + "0").status, 404);
}

TEST(DatakrakenHttp, ListenersComeFromTheFlagOrTheTicketRequest) {
  datakraken_config config = dk_config();
  config.listeners = {"mousemove"};
  auto server = start_datakraken(config);
  EXPECT_EQ(issue(server->port()).listeners, std::vector<std::string>{"mousemove"});
  EXPECT_EQ(issue(server->port(), "?listeners=click").listeners, std::vector<std::string>{"click"});
  EXPECT_EQ(issue(server->port(), "?listeners=mousemove,click").listeners,
            (std::vector<std::string>{"click", "mousemove"}));
  http_client client(server->port());
  http_result bad = client.get("/api/session?listeners=keypress");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("keypress"), std::string::npos) << bad.body;
  http_result fault = client.get("/api/session?fault=no-such-fault");
  EXPECT_EQ(fault.status, 400);
  EXPECT_NE(fault.body.find("no-such-fault"), std::string::npos) << fault.body;
  EXPECT_EQ(client.get("/api/session").status, 200) << "a 400 keeps the connection";
}

TEST(DatakrakenHttp, BadConfigurationIsAUsageErrorNamingIt) {
  auto expect_usage = [](datakraken_config config, const std::string& words) {
    try {
      start_datakraken(config);
      ADD_FAILURE() << "no usage_error for " << words;
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  datakraken_config c = dk_config({"no-such-fault"});
  expect_usage(c, "no-such-fault");
  c = dk_config();
  c.listeners = {"click", "keypress"};
  expect_usage(c, "keypress");
  c.listeners = {};
  expect_usage(c, "--listeners");
  c = dk_config();
  c.ticket_ttl = 1500ms;
  expect_usage(c, "--ticket-ttl");
  c.ticket_ttl = 0ms;
  expect_usage(c, "--ticket-ttl");
  c = dk_config();
  c.max_sessions = 0;
  expect_usage(c, "--max-sessions");
}

TEST(DatakrakenHttp, UpgradeMayFollowHttpOnTheSameConnection) {
  auto server = start_datakraken(dk_config());
  http_client client(server->port());
  http_result r = client.get("/api/session");
  ASSERT_EQ(r.status, 200);
  std::string ticket(r.json()["ticket"].as_string());
  std::string session(r.json()["session"].as_string());
  auto& io = client.io();
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws(client.take_stream());
  boost::beast::error_code ec = boost::asio::error::timed_out;
  ws.async_handshake("127.0.0.1", "/ws?ticket=" + ticket, [&](boost::beast::error_code e) { ec = e; });
  io.restart();
  io.run_for(5s);
  ASSERT_FALSE(ec) << ec.message();
  ws.write(boost::asio::buffer(start_frame()));
  ws.write(boost::asio::buffer(click_frame()));
  ws.async_close(boost::beast::websocket::close_code::normal, [](boost::beast::error_code) {});
  io.restart();
  io.run_for(5s);
  json::object rec = wait_final(server->port(), session).json();
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{0}));
}

}  // namespace
}  // namespace drover::fakes
