#pragma once
// Internal: the TCP layer under ws:// connections. A beast::tcp_stream whose WebSocket
// teardown (what Beast runs after a close frame went out) waits for the server's end of TCP for
// close_teardown_grace at most, then closes anyway and reports success, so that Beast completes
// the read or close with its own outcome (e.g. message_too_big, a protocol error) instead of
// waiting for ever on a server that keeps the connection open. Found by Beast through ADL.
#include <array>
#include <memory>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "harness/transport/ws_stream.hpp"

namespace drover::transport::detail {

class bounded_tcp_stream : public boost::beast::tcp_stream {
 public:
  using boost::beast::tcp_stream::tcp_stream;
};

template <class Handler>
class bounded_teardown_op {
 public:
  bounded_teardown_op(bounded_tcp_stream& stream, Handler handler)
      : stream_(stream),
        handler_(std::move(handler)),
        buf_(std::make_unique<std::array<char, 2048>>()),
        deadline_(std::chrono::steady_clock::now() + close_teardown_grace) {}

  // Half-closes (our FIN follows our close frame), then reads what the server still sends.
  void start() {
    error_code ignored;
    stream_.socket().shutdown(boost::asio::socket_base::shutdown_send, ignored);
    read_more();
  }

  // EOF, an error or the grace running out all end the same way: the socket closes.
  void operator()(error_code ec, std::size_t) {
    if (ec) return done();
    read_more();
  }

 private:
  void read_more() {
    auto left = deadline_ - std::chrono::steady_clock::now();
    if (left <= decltype(left)::zero()) left = decltype(left)::zero();
    stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(left));
    auto& stream = stream_;
    auto* data = buf_->data();
    stream.async_read_some(boost::asio::buffer(data, buf_->size()), std::move(*this));
  }

  void done() {
    stream_.expires_never();
    error_code ignored;
    stream_.socket().close(ignored);
    std::move(handler_)(error_code{});
  }

  bounded_tcp_stream& stream_;
  Handler handler_;
  std::unique_ptr<std::array<char, 2048>> buf_;
  std::chrono::steady_clock::time_point deadline_;
};

template <class TeardownHandler>
void async_teardown(boost::beast::role_type, bounded_tcp_stream& stream, TeardownHandler&& handler) {
  bounded_teardown_op<std::decay_t<TeardownHandler>>(stream, std::forward<TeardownHandler>(handler)).start();
}

}  // namespace drover::transport::detail
