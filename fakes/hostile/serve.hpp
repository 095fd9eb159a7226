#pragma once
// Internal: the coroutines that serve one connection, one per family of modes. Each returns
// when its mode is done or the peer is gone; the caller closes the connection afterwards.
#include <atomic>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "fakes/hostile/conn.hpp"
#include "fakes/hostile/hostile_server.hpp"

namespace drover::fakes::hostile {

struct shared_state {
  hostile_mode mode;
  std::unique_ptr<boost::asio::ssl::context> tls;  // tls_expired, tls_wrong_host
  std::atomic<unsigned> accepted{0};               // close-storm rotates its flaws per connection
};

// raw_modes.cpp: everything below WebSocket (upgrade, frame bytes, TCP).
boost::asio::awaitable<void> serve_raw(std::shared_ptr<conn> c, hostile_mode mode, unsigned index);
// beast_modes.cpp: ping-flood and binary-instead-of-text, through Beast.
boost::asio::awaitable<void> serve_beast(std::shared_ptr<conn> c, hostile_mode mode);
// tls_modes.cpp: the wss modes.
boost::asio::awaitable<void> serve_tls(std::shared_ptr<conn> c, hostile_mode mode, boost::asio::ssl::context* tls);
// tls_cert.cpp: a fresh self-signed certificate and key for the mode (throws std::runtime_error).
std::unique_ptr<boost::asio::ssl::context> make_server_tls(hostile_mode mode, std::string& cert_pem);

}  // namespace drover::fakes::hostile
