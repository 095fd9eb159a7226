// Dead, slow and rude servers: every case ends in a clear error_info, never a hang or a crash.
#include <gtest/gtest.h>

#include "tests/support/ws_test_server.hpp"
#include "tests/unit/transport/sync_client.hpp"

namespace drover::transport::testing {
namespace {

using test::server_mode;
using test::ws_server_options;
using test::ws_test_server;

ws_server_options mode(server_mode m) {
  ws_server_options options;
  options.mode = m;
  return options;
}

TEST(WsConnectionFailure, RefusedConnectionNamesHostAndPort) {
  auto port = std::to_string(test::unused_port());
  sync_client c;
  auto r = c.connect("ws://127.0.0.1:" + port + "/");
  EXPECT_EQ(r.error.kind, error_kind::connection_refused);
  EXPECT_NE(r.error.message.find("127.0.0.1:" + port), std::string::npos) << r.error.message;
  EXPECT_FALSE(c.conn->is_open());
  EXPECT_TRUE(c.conn->close_state().closed);
  EXPECT_EQ(c.send("x").kind, error_kind::closed);
}

TEST(WsConnectionFailure, SilentServerGivesHandshakeTimeout) {
  ws_test_server server(mode(server_mode::no_handshake));
  sync_client c;
  connect_options options;
  options.handshake_timeout = 200ms;
  auto r = c.connect(server.url(), options);
  EXPECT_EQ(r.error.kind, error_kind::handshake_timeout) << r.error.message;
  EXPECT_NE(r.error.message.find(std::to_string(server.port())), std::string::npos) << r.error.message;
}

TEST(WsConnectionFailure, RejectedUpgradeKeepsStatusAndBody) {
  ws_test_server server(mode(server_mode::reject_401));
  sync_client c;
  auto r = c.connect(server.url());
  EXPECT_EQ(r.error.kind, error_kind::handshake_rejected);
  EXPECT_EQ(r.http_status, 401);
  EXPECT_NE(r.error.message.find("upgrade rejected: HTTP 401 Unauthorized"), std::string::npos) << r.error.message;
  EXPECT_EQ(r.response_body, "bad token");
}

TEST(WsConnectionFailure, JunkInsteadOfHttpIsAHandshakeFailure) {
  ws_test_server server(mode(server_mode::junk));
  sync_client c;
  auto r = c.connect(server.url());
  EXPECT_TRUE(r.error.kind == error_kind::protocol || r.error.kind == error_kind::handshake_rejected)
      << to_string(r.error.kind) << ": " << r.error.message;
  EXPECT_FALSE(c.conn->is_open());
}

TEST(WsConnectionFailure, ServerCloseCodeAndReasonAreVisibleAfterBufferedMessages) {
  ws_server_options options = mode(server_mode::close_after);
  options.close_after_messages = 1;
  options.close_code = 1011;
  options.close_reason = "overloaded";
  ws_test_server server(options);
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  EXPECT_FALSE(c.send("last words"));
  auto [e, info] = c.wait_closed();
  ASSERT_FALSE(e) << e.message;
  EXPECT_TRUE(info.closed);
  EXPECT_TRUE(info.server_initiated);
  EXPECT_EQ(info.code, 1011);
  EXPECT_EQ(info.reason, "overloaded");
  EXPECT_FALSE(c.conn->is_open());
  // The echo that arrived before the close frame is still readable, then recv reports the close.
  auto [e1, m1] = c.recv();
  ASSERT_FALSE(e1) << e1.message;
  EXPECT_EQ(m1.payload, "last words");
  auto [e2, m2] = c.recv();
  EXPECT_EQ(e2.kind, error_kind::closed);
  EXPECT_NE(e2.message.find("1011"), std::string::npos) << e2.message;
  EXPECT_EQ(c.conn->close_state().code, 1011);
}

TEST(WsConnectionFailure, PendingRecvCompletesWhenTheServerCloses) {
  ws_server_options options = mode(server_mode::close_after);
  options.close_code = 1001;
  ws_test_server server(options);
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto [e, m] = c.recv();
  EXPECT_EQ(e.kind, error_kind::closed);
  EXPECT_EQ(c.conn->close_state().code, 1001);
}

TEST(WsConnectionFailure, ResetIsADropWith1006) {
  ws_test_server server(mode(server_mode::reset_after_open));
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto [e, m] = c.recv();
  EXPECT_EQ(e.kind, error_kind::reset) << e.message;
  EXPECT_TRUE(c.conn->close_state().closed);
  EXPECT_EQ(c.conn->close_state().code, 1006);
  EXPECT_FALSE(c.conn->close_state().server_initiated);
}

TEST(WsConnectionFailure, OversizedMessageEndsTheConnection) {
  ws_server_options options = mode(server_mode::send_big);
  options.big_size = 4096;
  ws_test_server server(options);
  sync_client c;
  connect_options limits;
  limits.max_message = 1024;
  ASSERT_FALSE(c.connect(server.url(), limits).error);
  auto [e, m] = c.recv();
  EXPECT_EQ(e.kind, error_kind::message_too_big) << e.message;
  EXPECT_NE(e.message.find("1024"), std::string::npos) << e.message;
  EXPECT_FALSE(c.conn->is_open());
  EXPECT_EQ(c.conn->close_state().code, 1009);
}

TEST(WsConnectionFailure, UnansweredCloseTimesOut) {
  ws_test_server server(mode(server_mode::silent_after_open));
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto e = c.close(1000, "bye", 200ms);
  EXPECT_EQ(e.kind, error_kind::close_timeout) << e.message;
  EXPECT_TRUE(c.conn->close_state().closed);
  EXPECT_EQ(c.conn->close_state().code, 1006);
}

TEST(WsConnectionFailure, MissingPongTimesOutAndKeepsTheConnection) {
  ws_test_server server(mode(server_mode::silent_after_open));
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto [e, rtt] = c.ping(200ms);
  EXPECT_EQ(e.kind, error_kind::ping_timeout) << e.message;
  EXPECT_TRUE(c.conn->is_open());
}

TEST(WsConnectionFailure, StuckWriteTimesOutAndEndsTheConnection) {
  ws_test_server server(mode(server_mode::silent_after_open));
  sync_client c;
  connect_options options;
  options.write_timeout = 300ms;
  ASSERT_FALSE(c.connect(server.url(), options).error);
  // Far more than the loopback socket buffers hold while the server reads nothing.
  auto e = c.send(std::string(64 << 20, 'x'), true);
  EXPECT_EQ(e.kind, error_kind::write_timeout) << e.message;
  EXPECT_FALSE(c.conn->is_open());
  EXPECT_EQ(c.conn->close_state().code, 1006);
}

TEST(WsConnectionFailure, WaitClosedTimesOutWhileTheServerStaysOpen) {
  ws_test_server server;
  sync_client c;
  ASSERT_FALSE(c.connect(server.url()).error);
  auto [e, info] = c.wait_closed(100ms);
  EXPECT_EQ(e.kind, error_kind::close_timeout);
  EXPECT_FALSE(info.closed);
  EXPECT_TRUE(c.conn->is_open());
}

TEST(WsConnectionFailure, ContractBreachesAreUsageErrors) {
  ws_test_server server;
  sync_client c;
  EXPECT_EQ(c.recv().first.kind, error_kind::usage);
  EXPECT_EQ(c.ping().first.kind, error_kind::usage);
  ASSERT_FALSE(c.connect(server.url()).error);
  EXPECT_EQ(c.connect(server.url()).error.kind, error_kind::usage);
  bool first_done = false;
  c.conn->async_recv(0ms, [&](const error_info&, message) { first_done = true; });
  EXPECT_EQ(c.recv().first.kind, error_kind::usage) << "only one recv may be pending";
  EXPECT_FALSE(c.send("unblock"));
  c.run_until([&] { return first_done; });

  sync_client wss;
  auto r = wss.connect("wss://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(r.error.kind, error_kind::usage) << "wss:// without a TLS context";
}

}  // namespace
}  // namespace drover::transport::testing
