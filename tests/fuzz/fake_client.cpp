#include "tests/fuzz/fake_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace drover::fuzz {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

void set_timeouts(asio::ip::tcp::socket& socket) {
  // 3 s: far above any answer of a correct fake on loopback, far below libFuzzer's -timeout=10.
  timeval tv{3, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

session_outcome run_session(std::uint16_t port, const std::string& target, const std::vector<std::string_view>& frames) {
  session_outcome out;
  asio::io_context ioc;
  websocket::stream<asio::ip::tcp::socket> ws(ioc);
  boost::system::error_code ec;
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return out;
  set_timeouts(ws.next_layer());
  ws.read_message_max(16u << 20);
  ws.handshake("127.0.0.1:" + std::to_string(port), target, ec);
  if (ec) return out;
  out.upgraded = true;
  for (auto frame : frames) {
    // Always text, even when not UTF-8: the fake's Beast must close 1007, not trip over it.
    ws.text(true);
    ws.write(asio::buffer(frame.data(), frame.size()), ec);
    if (ec) break;  // the fake closed on us: a legitimate answer to a bad frame
    ++out.frames_sent;
  }
  if (!ec) {
    ws.close(websocket::close_code::normal, ec);
    out.closed_cleanly = !ec;
  }
  boost::system::error_code ignored;
  ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  ws.next_layer().close(ignored);
  return out;
}

}  // namespace drover::fuzz
