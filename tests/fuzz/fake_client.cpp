#include "tests/fuzz/fake_client.hpp"

#include <chrono>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace drover::fuzz {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

namespace {

// Runs one async operation to completion or until `limit`; on the limit the connection is
// dropped (which completes the operation) and false is returned.
template <class Start>
bool run_bounded(asio::io_context& ioc, websocket::stream<beast::tcp_stream>& ws, std::chrono::milliseconds limit,
                 Start start, beast::error_code& ec) {
  bool done = false;
  start([&](beast::error_code e, auto&&...) {
    ec = e;
    done = true;
  });
  ioc.restart();
  ioc.run_for(limit);
  if (done) return true;
  beast::get_lowest_layer(ws).close();
  ioc.restart();
  ioc.run();
  return false;
}

}  // namespace

session_outcome run_session(std::uint16_t port, const std::string& target, const std::vector<std::string_view>& frames) {
  session_outcome out;
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::error_code ec;
  beast::get_lowest_layer(ws).socket().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return out;
  ws.read_message_max(16u << 20);
  const std::string host = "127.0.0.1:" + std::to_string(port);
  // 3 s: far above any answer of a correct fake on loopback, far below libFuzzer's -timeout.
  if (!run_bounded(ioc, ws, 3s, [&](auto handler) { ws.async_handshake(host, target, handler); }, ec) || ec) return out;
  out.upgraded = true;
  for (auto frame : frames) {
    // Always text, even when not UTF-8: the fake's Beast must close 1007, not trip over it.
    ws.text(true);
    if (!run_bounded(ioc, ws, 3s, [&](auto handler) { ws.async_write(asio::buffer(frame.data(), frame.size()), handler); },
                     ec) ||
        ec)
      return out;  // the fake closed on us: a legitimate answer to a bad frame
    ++out.frames_sent;
  }
  // Our close drains whatever the fake sent. When the fake closes at the same moment (a bad
  // frame just before our close), it holds the TCP connection until its 10 s closing
  // timeout (tests/fuzz/README.md, findings): wait 50 ms for the close (a correct close
  // on loopback takes about 1 ms), not 10 s; a slow close is dropped, not judged.
  out.closed_cleanly =
      run_bounded(ioc, ws, 50ms, [&](auto handler) { ws.async_close(websocket::close_code::normal, handler); }, ec) &&
      !ec;
  out.close_answered = ws.reason().code != websocket::close_code::none;
  beast::error_code ignored;
  beast::get_lowest_layer(ws).socket().close(ignored);
  return out;
}

}  // namespace drover::fuzz
