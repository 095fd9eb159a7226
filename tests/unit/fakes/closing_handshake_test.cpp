// The fakes' closing handshake when the server's close and the client's close cross on the
// wire (fakes/common/ws_session.cpp): the server must answer and close TCP at once, not after
// its 10 s closing-handshake timeout. Found by the fake_sessions fuzz target
// (tests/fuzz/regressions/fake_sessions/crossing-close-holds-tcp-10s).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "tests/unit/fakes/wearable_support.hpp"

namespace drover::fakes {
namespace {

using namespace std::chrono_literals;

// A masked client frame (RFC 6455 §5.2), FIN set; payloads under 126 bytes.
std::string client_frame(std::uint8_t opcode, const std::string& payload) {
  const unsigned char mask[4] = {0x1f, 0x2e, 0x3d, 0x4c};
  std::string out;
  out += static_cast<char>(0x80 | opcode);
  out += static_cast<char>(0x80 | payload.size());
  out.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out += static_cast<char>(payload[i] ^ mask[i % 4]);
  return out;
}

std::string upgrade_request() {
  return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

namespace asio = boost::asio;

// Upgrades (waiting for the 101, as a client must), then writes `frames` in one go; true when the
// server then ends the TCP connection (EOF or reset) within `timeout`.
bool frames_get_closed(std::uint16_t port, const std::string& frames, std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(upgrade_request()));
  asio::streambuf response;
  asio::read_until(socket, response, "\r\n\r\n");
  asio::write(socket, asio::buffer(frames));
  char buf[4096];
  bool closed = false;
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t) {
      if (ec) {
        closed = true;
        return;
      }
      read_more();  // HELLO and the close frame come first
    });
  };
  read_more();
  ioc.run_for(timeout);
  return closed;
}

// IDENTIFY, then an empty text frame (the wearable fake closes 1007 for it), then the client's
// own close 1000, all in one write: the server's 1007 and the client's close cross.
TEST(FakeClosingHandshake, CrossingClosesEndTheConnectionWellBeforeTheHandshakeTimeout) {
  auto server = start_wearable(test::test_config());
  std::string frames = client_frame(0x1, test::identify_frame("user:acme:u1:x", 0)) + client_frame(0x1, "") +
                       client_frame(0x8, std::string("\x03\xe8", 2));
  // 2 s: far above a loopback round trip, far below the 10 s timeout the bug waited for.
  EXPECT_TRUE(frames_get_closed(server->port(), frames, 2000ms));
}

// The same crossing when the client's close comes first and the server has nothing queued.
TEST(FakeClosingHandshake, ClientCloseRightAfterIdentifyIsAnsweredAndClosed) {
  auto server = start_wearable(test::test_config());
  std::string frames =
      client_frame(0x1, test::identify_frame("user:acme:u2:x", 0)) + client_frame(0x8, std::string("\x03\xe8", 2));
  EXPECT_TRUE(frames_get_closed(server->port(), frames, 2000ms));
}

}  // namespace
}  // namespace drover::fakes
