#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <memory>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "harness/transport/beast_ws_stream.hpp"

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

  // SNI for names (RFC 6066 forbids IP literals), then OpenSSL's own host/IP check so a
  // mismatch is reported as such ("hostname mismatch") rather than as a generic failure.
  template <class F>
  static void run(tls_layer& stream, const std::string& host, F&& done) {
    SSL* ssl = stream.native_handle();
    error_code not_ip;
    net::ip::make_address(host, not_ip);
    if (not_ip) SSL_set_tlsext_host_name(ssl, host.c_str());
    if (SSL_get_verify_mode(ssl) != SSL_VERIFY_NONE) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (not_ip) {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
      } else {
        X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
      }
    }
    stream.async_handshake(net::ssl::stream_base::client, [&stream, done = std::forward<F>(done)](error_code ec) mutable {
      std::string detail;
      if (ec) {
        long verify = SSL_get_verify_result(stream.native_handle());
        if (verify != X509_V_OK) detail = X509_verify_cert_error_string(verify);
      }
      done(ec, std::move(detail));
    });
  }
};

std::unique_ptr<ws_stream> make_tls_stream(boost::asio::io_context& io, boost::asio::ssl::context& tls) {
  return std::make_unique<beast_ws_stream<tls_layer>>(io, tls);
}

}  // namespace drover::transport::detail
