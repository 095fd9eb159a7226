// Our close frame crossing the server's last message: the message and the server's close
// answer arrive in one read while the completion of our close frame's write is still queued.
// The read loop used to start the next read from that message's handler; with a control
// callback set (ours always is) Beast 1.81 parked that read, holding the read side, until the
// close op had queued itself for the read side while holding the write side, and the read then
// waited for the write side: neither moved until the close timeout (seen as close_timeout in
// ~1 % of hostile-fake runs under load, and under ThreadSanitizer). The order is forced here:
// a side socket wakes the handler that closes in the same poll that sees the message, and that
// handler lasts until the answer is in.
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <gtest/gtest.h>

#include "tests/unit/transport/sync_client.hpp"

namespace drover::transport::testing {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Accepts one WebSocket client and one plain "side" connection. Once told, after `busy_gap`:
// a byte on the side connection, then a binary frame on the WebSocket; on the client's close
// frame, the close answer (1000) and its FIN. Raw bytes after the upgrade, so nothing else is sent.
class crossing_server {
 public:
  crossing_server() : ws_acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}), side_acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { run(); });
  }
  ~crossing_server() { thread_.join(); }

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(ws_acceptor_.local_endpoint().port()) + "/"; }
  unsigned short side_port() const { return side_acceptor_.local_endpoint().port(); }

 private:
  void run() {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    ws_acceptor_.accept(socket, ec);
    if (ec) return;
    boost::beast::websocket::stream<tcp::socket> ws(std::move(socket));
    ws.accept(ec);
    if (ec) return;
    tcp::socket side(io_);
    side_acceptor_.accept(side, ec);
    if (ec) return;
    auto& raw = ws.next_layer();
    // The client is in a 150 ms handler from its side connect on: both writes reach it there.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    net::write(side, net::buffer("x", 1), ec);
    const std::string last = "\x82\x0a{\"last\":3}";
    net::write(raw, net::buffer(last), ec);
    unsigned char header[2];
    net::read(raw, net::buffer(header), ec);  // the client's close frame (opcode 8) begins
    if (ec || (header[0] & 0x0f) != 8) return;
    const std::string answer = "\x88\x02\x03\xe8";
    net::write(raw, net::buffer(answer), ec);
    raw.shutdown(tcp::socket::shutdown_send, ec);
    char drain[256];
    while (!ec) raw.read_some(net::buffer(drain), ec);
  }

  net::io_context io_;
  tcp::acceptor ws_acceptor_;
  tcp::acceptor side_acceptor_;
  std::thread thread_;
};

TEST(WsConnectionClose, ServerMessageAndCloseAnswerInOneReadStillEndTheClose) {
  crossing_server server;
  sync_client c;
  auto r = c.connect(server.url());
  ASSERT_FALSE(r.error) << r.error.message;
  tcp::socket side(c.io);
  side.connect({net::ip::make_address("127.0.0.1"), server.side_port()});
  std::optional<error_info> closed;
  char byte = 0;
  side.async_read_some(net::buffer(&byte, 1), [&](boost::system::error_code ec, std::size_t) {
    ASSERT_FALSE(ec) << ec.message();
    c.conn->async_close(1000, "bye", std::chrono::milliseconds(1000), [&](const error_info& e) { closed = e; });
    // Stay in this handler until the server's answer is in: its read runs before the close
    // frame's write completion.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  });
  net::post(c.io, [] { std::this_thread::sleep_for(std::chrono::milliseconds(150)); });
  ASSERT_TRUE(c.run_until([&] { return closed.has_value(); }, std::chrono::milliseconds(5000)));
  EXPECT_FALSE(*closed) << to_string(closed->kind) << ": " << closed->message;
  EXPECT_TRUE(c.conn->close_state().closed);
  EXPECT_EQ(c.conn->close_state().code, 1000);
  // The message that crossed our close frame was read before it, so it is in the inbox.
  auto [e, m] = c.recv(std::chrono::milliseconds(100));
  EXPECT_FALSE(e) << e.message;
  EXPECT_EQ(m.payload, "{\"last\":3}");
}

}  // namespace
}  // namespace drover::transport::testing
