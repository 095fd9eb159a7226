#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "harness/transport/beast_ws_stream.hpp"
#include "harness/transport/tls_client.hpp"

namespace drover::transport::detail {

// The TLS layer under wss:// connections. Beast's teardown of a TLS stream (after a close frame
// went out, e.g. its own when it refuses a frame) sends close_notify and waits for the server's:
// a server that never answers would hold the read and every write for ever. As
// bounded_tcp_stream does for ws://, this waits close_teardown_grace at most, then closes the
// socket and reports success so that Beast completes with its own outcome. Found through ADL.
class bounded_tls_stream : public beast::ssl_stream<beast::tcp_stream> {
 public:
  using beast::ssl_stream<beast::tcp_stream>::ssl_stream;
};

template <class TeardownHandler>
void async_teardown(beast::role_type, bounded_tls_stream& stream, TeardownHandler&& handler) {
  auto timer = std::make_shared<net::steady_timer>(stream.get_executor(), close_teardown_grace);
  // The stream outlives the timer's expiry: the shutdown below is still pending then.
  timer->async_wait([&stream](error_code ec) {
    if (!ec) beast::get_lowest_layer(stream).close();
  });
  stream.async_shutdown([timer, h = std::forward<TeardownHandler>(handler)](error_code) mutable {
    timer->cancel();
    std::move(h)(error_code{});
  });
}

using tls_layer = bounded_tls_stream;

template <>
struct tls_step<tls_layer> {
  static constexpr bool enabled = true;

  template <class F>
  static void run(tls_layer& stream, const std::string& host, F&& done) {
    prepare_tls_client(stream.native_handle(), host);
    stream.async_handshake(net::ssl::stream_base::client, [&stream, done = std::forward<F>(done)](error_code ec) mutable {
      done(ec, ec ? tls_verify_failure(stream.native_handle()) : std::string());
    });
  }
};

std::unique_ptr<ws_stream> make_tls_stream(boost::asio::io_context& io, boost::asio::ssl::context& tls) {
  return std::make_unique<beast_ws_stream<tls_layer>>(io, tls);
}

}  // namespace drover::transport::detail
