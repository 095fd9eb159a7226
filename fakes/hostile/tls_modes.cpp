// The wss modes. tls-stall never speaks TLS at all (it reads the ClientHello and keeps quiet);
// the certificate modes finish the TLS handshake when the client lets them (--insecure), answer
// the upgrade and then only read: the certificate is their one flaw. tls-oversized has a good
// certificate and sends the oversized frame over TLS, then reads without ever answering (no
// close frame, no close_notify).
#include <boost/asio/ssl/stream.hpp>

#include "fakes/hostile/io.hpp"
#include "fakes/hostile/serve.hpp"
#include "fakes/hostile/wire.hpp"

namespace drover::fakes::hostile {

asio::awaitable<void> serve_tls(std::shared_ptr<conn> c, hostile_mode mode, asio::ssl::context* tls) {
  if (mode == hostile_mode::tls_stall || !tls) {
    co_await discard_input(c->socket());
    co_return;
  }
  asio::ssl::stream<asio::ip::tcp::socket&> stream(c->socket(), *tls);
  if (auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, no_throw); ec) co_return;
  auto request = co_await read_request_head(stream);
  if (!request) co_return;
  if (!co_await write_all(stream, upgrade_answer(*request))) co_return;
  if (mode == hostile_mode::tls_oversized &&
      !co_await write_all(stream, frame(opcode::text, std::string(1024, 'x'), {.announced = 100'000'000})))
    co_return;
  co_await discard_input(stream);
  // tls-oversized never answers a close_notify either: it keeps the connection until its life ends.
  if (mode == hostile_mode::tls_oversized) co_await c->pause(std::chrono::hours(24));
}

}  // namespace drover::fakes::hostile
