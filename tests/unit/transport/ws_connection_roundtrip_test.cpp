// An open connection against a well-behaved server: messages, headers, subprotocols, pings,
// closing, and the asynchronous-completion rules the Lua engine relies on.
#include <algorithm>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/ws_test_server.hpp"
#include "tests/unit/transport/sync_client.hpp"

namespace drover::transport::testing {
namespace {

using test::server_mode;
using test::ws_server_options;
using test::ws_test_server;

TEST(WsConnection, RoundTripTextAndBinary) {
  ws_test_server server;
  sync_client c;
  std::vector<std::tuple<direction, std::string, bool>> seen;
  c.conn->set_observer([&](direction d, std::string_view p, bool b) { seen.emplace_back(d, std::string(p), b); });

  auto r = c.connect(server.url("/"));
  ASSERT_FALSE(r.error) << r.error.message;
  EXPECT_EQ(r.http_status, 101);
  EXPECT_TRUE(c.conn->is_open());
  EXPECT_LE(r.started, r.tcp_connected);
  EXPECT_LE(r.tcp_connected, r.open);

  clock::time_point sent_at{};
  EXPECT_FALSE(c.send("hello", false, &sent_at));
  EXPECT_NE(sent_at, clock::time_point{});
  auto [e1, m1] = c.recv();
  ASSERT_FALSE(e1) << e1.message;
  EXPECT_EQ(m1.payload, "hello");
  EXPECT_FALSE(m1.binary);
  EXPECT_GE(m1.received_at, sent_at);

  std::string bytes("\x00\x01\xff", 3);
  EXPECT_FALSE(c.send(bytes, true));
  auto [e2, m2] = c.recv();
  ASSERT_FALSE(e2) << e2.message;
  EXPECT_EQ(m2.payload, bytes);
  EXPECT_TRUE(m2.binary);

  std::vector<std::tuple<direction, std::string, bool>> expected{{direction::sent, "hello", false},
                                                                 {direction::received, "hello", false},
                                                                 {direction::sent, bytes, true},
                                                                 {direction::received, bytes, true}};
  EXPECT_EQ(seen, expected);
}

TEST(WsConnection, HeadersAndQueryReachTheServer) {
  ws_test_server server;
  sync_client c;
  connect_options options;
  options.headers = {{"Authorization", "Bearer abc"}, {"X-Trace", "1"}, {"X-Trace", "2"}};
  auto r = c.connect(server.url("/chat?room=a%20b&x=1"), options);
  ASSERT_FALSE(r.error) << r.error.message;
  auto req = server.last_request();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->target, "/chat?room=a%20b&x=1");
  EXPECT_EQ(req->header("authorization"), "Bearer abc");
  EXPECT_EQ(req->header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  auto traces = std::count_if(req->headers.begin(), req->headers.end(), [](const auto& h) { return h.first == "X-Trace"; });
  EXPECT_EQ(traces, 2);
}

TEST(WsConnection, SubprotocolChosenByServerIsReported) {
  ws_server_options options;
  options.subprotocols = {"v2.drover"};
  ws_test_server server(options);

  sync_client offering;
  connect_options offer;
  offer.subprotocols = {"v1.drover", "v2.drover"};
  auto r = offering.connect(server.url(), offer);
  ASSERT_FALSE(r.error) << r.error.message;
  EXPECT_EQ(r.subprotocol, "v2.drover");
  EXPECT_EQ(server.last_request()->header("Sec-WebSocket-Protocol"), "v1.drover, v2.drover");
  auto header = std::find_if(r.response_headers.begin(), r.response_headers.end(),
                             [](const auto& h) { return h.first == "Sec-WebSocket-Protocol"; });
  ASSERT_NE(header, r.response_headers.end());
  EXPECT_EQ(header->second, "v2.drover");

  sync_client plain;
  auto r2 = plain.connect(server.url());
  ASSERT_FALSE(r2.error) << r2.error.message;
  EXPECT_EQ(r2.subprotocol, "");
}

TEST(WsConnection, RecvTimeoutKeepsTheConnectionUsable) {
  ws_test_server server;
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto [e, m] = c.recv(50ms);
  EXPECT_EQ(e.kind, error_kind::recv_timeout);
  EXPECT_TRUE(c.conn->is_open());
  EXPECT_FALSE(c.send("still here"));
  auto [e2, m2] = c.recv();
  ASSERT_FALSE(e2) << e2.message;
  EXPECT_EQ(m2.payload, "still here");
}

TEST(WsConnection, PingMeasuresRoundTrip) {
  ws_test_server server;
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto [e, rtt] = c.ping();
  ASSERT_FALSE(e) << e.message;
  EXPECT_GT(rtt.count(), 0);
  EXPECT_TRUE(c.conn->is_open());
}

TEST(WsConnection, ServerPingsAreAnsweredAndStamped) {
  ws_server_options options;
  options.mode = server_mode::ping_client;
  options.pings = 2;
  ws_test_server server(options);
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  // The server pings before it starts echoing, so both pings precede the echo.
  EXPECT_FALSE(c.send("x"));
  EXPECT_FALSE(c.recv().first);
  EXPECT_EQ(c.conn->server_pings().size(), 2u);
  EXPECT_TRUE(ws_test_server::eventually([&] { return server.pongs_received() == 2; }));
}

TEST(WsConnection, CloseRoundTripCarriesCodeAndReason) {
  ws_test_server server;
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto e = c.close(4000, "bye");
  ASSERT_FALSE(e) << e.message;
  EXPECT_FALSE(c.conn->is_open());
  const auto& state = c.conn->close_state();
  EXPECT_TRUE(state.closed);
  EXPECT_FALSE(state.server_initiated);
  EXPECT_EQ(state.code, 4000);  // Beast echoes the client's code
  auto seen = server.client_close();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->first, 4000);
  EXPECT_EQ(seen->second, "bye");
  EXPECT_EQ(c.recv().first.kind, error_kind::closed);
  EXPECT_EQ(c.send("late").kind, error_kind::closed);
  EXPECT_FALSE(c.close(1000, "again")) << "closing a closed connection is a no-op";
}

TEST(WsConnection, InboxIsBounded) {
  ws_test_server server;
  sync_client c;
  connect_options options;
  options.max_inbox = 2;
  ASSERT_FALSE(c.connect(server.url(), options).error);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(c.send("m" + std::to_string(i)));
  EXPECT_FALSE(c.ping().first);  // the pong follows the four echoes
  EXPECT_EQ(c.conn->inbox_size(), 2u);
  EXPECT_EQ(c.recv().second.payload, "m0");
  EXPECT_EQ(c.recv().second.payload, "m1");
}

TEST(WsConnection, CallbacksNeverRunInsideTheInitiatingCall) {
  ws_test_server server;
  sync_client c;
  bool sent = false;
  c.conn->async_send("too early", false, [&](const error_info& e, clock::time_point) {
    sent = true;
    EXPECT_EQ(e.kind, error_kind::usage);
  });
  EXPECT_FALSE(sent);
  c.run_until([&] { return sent; });

  ASSERT_FALSE(c.connect(server.url()).error);
  EXPECT_FALSE(c.send("a"));
  EXPECT_TRUE(c.run_until([&] { return c.conn->inbox_size() == 1; }));
  bool received = false;
  c.conn->async_recv(1s, [&](const error_info& e, message m) {
    received = true;
    EXPECT_EQ(m.payload, "a");
  });
  EXPECT_FALSE(received) << "a buffered message is still delivered asynchronously";
  c.run_until([&] { return received; });
}

TEST(WsConnection, AbortCompletesPendingCallbacksOnceWithCancelled) {
  ws_test_server server;
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  int recv_calls = 0;
  error_kind recv_kind = error_kind::none;
  c.conn->async_recv(0ms, [&](const error_info& e, message) {
    ++recv_calls;
    recv_kind = e.kind;
  });
  int wait_calls = 0;
  c.conn->async_wait_closed(0ms, [&](const error_info& e, const close_info&) {
    ++wait_calls;
    EXPECT_EQ(e.kind, error_kind::cancelled);
  });
  c.conn->abort();
  EXPECT_EQ(recv_calls, 0) << "abort posts, it does not call back re-entrantly";
  c.conn->abort();
  c.run_until([&] { return recv_calls > 0 && wait_calls > 0; });
  c.run_until([] { return true; });
  c.poll();
  EXPECT_EQ(recv_calls, 1);
  EXPECT_EQ(wait_calls, 1);
  EXPECT_EQ(recv_kind, error_kind::cancelled);
  EXPECT_TRUE(c.conn->close_state().closed);
  EXPECT_FALSE(c.conn->is_open());
}

TEST(WsConnection, AbortDuringConnectCompletesTheConnect) {
  ws_server_options options;
  options.mode = server_mode::no_handshake;
  ws_test_server server(options);
  sync_client c;
  int calls = 0;
  error_kind kind = error_kind::none;
  c.conn->async_connect(parse_ws_url(server.url()), {}, [&](const connect_result& r) {
    ++calls;
    kind = r.error.kind;
  });
  c.run_until([&] { return server.connections() == 1; });
  c.conn->abort();
  c.run_until([&] { return calls > 0; });
  c.poll();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(kind, error_kind::cancelled);
}

}  // namespace
}  // namespace drover::transport::testing
