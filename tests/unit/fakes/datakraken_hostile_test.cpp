// Hostile input to the DataKraken fake: junk, huge headers and bodies, slow and half-open
// requests, pipelined floods, many idle connections, garbage frames and session churn must
// end only the offending connection and leave memory bounded (records capped).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "datakraken_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

// A full session still works and is recorded.
void expect_served(std::uint16_t port) {
  auto s = open_session(port);
  s.socket->send(click_frame());
  s.socket->send(end_frame());
  EXPECT_TRUE(s.socket->close());
  json::object rec = wait_final(port, s.answer.session).json();
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{0}));
}

TEST(DatakrakenHostile, JunkHugeHeadersAndBodiesEndOnlyThatConnection) {
  auto server = start_datakraken(dk_config());
  EXPECT_TRUE(raw_bytes_get_closed(server->port(), std::string(5000, '\x01') + "\r\n\r\n", 3000ms)) << "junk";
  EXPECT_TRUE(raw_bytes_get_closed(server->port(),
                                   "GET /api/session HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n",
                                   3000ms))
      << "headers above 8 KiB";
  EXPECT_TRUE(raw_bytes_get_closed(server->port(),
                                   "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" +
                                       std::string(65536, 'b'),
                                   3000ms))
      << "a body above 4 KiB";
  EXPECT_TRUE(raw_bytes_get_closed(server->port(), "GET /api/session HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                                   3000ms));
  http_client pipelined_junk(server->port());
  auto answers = pipelined_junk.raw("GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n\x7f\x7f garbage\r\n\r\n", 2);
  ASSERT_EQ(answers.size(), 1u) << "the good request is answered, the junk after it ends the connection";
  EXPECT_EQ(answers[0].status, 200);
  expect_served(server->port());
}

TEST(DatakrakenHostile, SlowTrickledAndHalfOpenRequestsAreDropped) {
  datakraken_config config = dk_config();
  config.request_timeout = 600ms;
  auto server = start_datakraken(config);
  auto started = std::chrono::steady_clock::now();
  http_client slow(server->port());
  slow.raw("GET /api/se", 0);
  http_client unfinished(server->port());
  unfinished.raw("GET /api/session HTTP/1.1\r\nHost: x\r\n", 0);
  EXPECT_TRUE(slow.closed_by_server(5000ms));
  EXPECT_TRUE(unfinished.closed_by_server(5000ms));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 4000ms);

  // One byte every 50 ms: the timeout covers the whole request, so the trickle is cut too.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket trickle(io);
  trickle.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  std::string request = "GET /api/session HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(200, 'p') + "\r\n\r\n";
  boost::system::error_code ec;
  std::size_t sent = 0;
  for (; sent < request.size() && !ec; ++sent) {
    boost::asio::write(trickle, boost::asio::buffer(&request[sent], 1), ec);
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(ec) << "the whole trickled request went through (" << sent << " bytes)";

  // Half-open: the client sends half a request and shuts its side down.
  boost::asio::ip::tcp::socket half(io);
  half.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(half, boost::asio::buffer(std::string("GET /api/session HTTP/1.1\r\n")));
  half.shutdown(boost::asio::ip::tcp::socket::shutdown_send);
  char byte;
  half.read_some(boost::asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec) << "the server closed its side too";

  http_client idle(server->port());
  EXPECT_EQ(idle.get("/api/session").status, 200);
  EXPECT_TRUE(idle.closed_by_server(5000ms)) << "an idle kept-alive connection is closed too";
  expect_served(server->port());
}

TEST(DatakrakenHostile, PipelinedFloodIsAnsweredInOrder) {
  auto server = start_datakraken(dk_config());
  std::string bytes;
  for (int i = 0; i < 300; ++i)
    bytes += i % 2 ? "GET /api/session/nope" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n"
                   : std::string("GET /api/session HTTP/1.1\r\nHost: x\r\n\r\n");
  http_client client(server->port());
  auto answers = client.raw(bytes, 300, 10000ms);
  ASSERT_EQ(answers.size(), 300u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(answers[i].status, i % 2 ? 404 : 200) << i;
}

TEST(DatakrakenHostile, ManyIdleConnectionsAndSocketsLeaveOthersServed) {
  auto server = start_datakraken(dk_config());
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> idle_tcp;
  for (int i = 0; i < 500; ++i) {
    idle_tcp.emplace_back(io);
    idle_tcp.back().connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  }
  std::vector<dk_session> idle_sessions;
  for (int i = 0; i < 200; ++i) {
    idle_sessions.push_back(open_session(server->port()));
    ASSERT_TRUE(idle_sessions.back().socket->handshake_ok()) << i;
  }
  expect_served(server->port());
  idle_sessions.clear();  // dropped without a close frame
  idle_tcp.clear();
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (server->live_sessions() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(server->live_sessions(), 0u) << "every dropped connection ended on the server";
}

TEST(DatakrakenHostile, GarbageFramesCloseOnlyTheirSocket) {
  auto server = start_datakraken(dk_config());
  auto utf8 = open_session(server->port());
  utf8.socket->send(std::string("{\"type\":\"\xff\xfe\"}"));
  EXPECT_EQ(utf8.socket->wait_close(), 1007) << "invalid UTF-8";
  auto deep = open_session(server->port());
  deep.socket->send(std::string(20000, '[') + std::string(20000, ']'));
  EXPECT_EQ(deep.socket->wait_close(), 1007) << "nesting beyond the parser's depth";
  auto empty = open_session(server->port());
  empty.socket->send("");
  EXPECT_EQ(empty.socket->wait_close(), 1007);
  auto huge_numbers = open_session(server->port());
  huge_numbers.socket->send(R"({"type":0,"timestamp":1e400,"event":{"X":1,"Y":1,"target":"a"}})");
  EXPECT_EQ(huge_numbers.socket->wait_close(), 1007);
  expect_served(server->port());
}

TEST(DatakrakenHostile, SessionChurnIsRecordedAndCapped) {
  datakraken_config config = dk_config();
  config.max_sessions = 50;
  auto server = start_datakraken(config);
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    auto s = open_session(server->port());
    s.socket->send(click_frame());
    if (i % 2) s.socket->send(end_frame());
    if (i % 3) {
      EXPECT_TRUE(s.socket->close());
    } else {
      s.socket->drop(false);  // FIN: what was sent still arrives
    }
    json::object rec = wait_final(server->port(), s.answer.session).json();
    EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{0})) << i;
    EXPECT_EQ(rec["ended_cleanly"], i % 2 == 1) << i;
    ids.push_back(s.answer.session);
  }
  int visible = 0;
  for (const auto& id : ids) visible += record(server->port(), id).status == 200;
  EXPECT_EQ(visible, 50) << "the newest 50 sessions";
  std::vector<std::string> unused;
  for (int i = 0; i < 60; ++i) unused.push_back(issue(server->port()).session);
  visible = 0;
  for (const auto& id : ids) visible += record(server->port(), id).status == 200;
  EXPECT_EQ(visible, 0) << "60 newer tickets pushed every session out";
  EXPECT_EQ(record(server->port(), unused[0]).status, 404);
  EXPECT_EQ(record(server->port(), unused.back()).status, 200);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (server->live_sessions() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(server->live_sessions(), 0u) << "no connection outlives its client";
  expect_served(server->port());
}

}  // namespace
}  // namespace drover::fakes
