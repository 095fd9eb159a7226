#pragma once
// Internal: the Beast-facing half of a connection, one implementation per next layer
// (tcp_stream for ws://, ssl_stream<tcp_stream> for wss://). It only drives Beast; timeouts,
// queues, metrics and user callbacks live in connection_impl. Keeping the Beast websocket
// templates behind this interface confines them to two translation units.
//
// Threading: the owner's io_context thread only. Completion functions run from Beast
// completion handlers (never inside the initiating call). Beast rules apply: at most one
// read, and at most one of write / ping / close outstanding at a time (the owner's queue
// guarantees it).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "harness/common/url.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::transport::detail {

using error_code = boost::system::error_code;

// After a close frame has gone out (drover's, or Beast's own when it fails the connection on a
// frame that breaks the protocol or exceeds the read limit) a client waits for the server to
// close TCP (RFC 6455 §7.1.1). A server that never does would hold the read, and with it every
// write, for ever: streams wait this long at most (bounded_tcp_stream.hpp, ws_stream_tls.cpp).
// Shorter than the close timeouts scripts use (1 s and up), so that the cause is reported first.
inline constexpr std::chrono::milliseconds close_teardown_grace{500};

enum class connect_stage { resolve, tcp, tls };
enum class control_frame { ping, pong, close };

struct upgrade_response {
  int status = 0;
  std::string reason;  // reason phrase ("Unauthorized")
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string subprotocol;
};

class ws_stream {
 public:
  virtual ~ws_stream() = default;

  // Resolves, connects TCP (trying every address; from `source` when given, see
  // source_connect.hpp) and, for wss, runs the TLS handshake with SNI and host name
  // verification. detail: why certificate verification failed or the source could not be used.
  virtual void async_connect(const ws_url& url, std::optional<boost::asio::ip::address> source,
                             std::function<void(error_code, connect_stage, std::string detail)> done) = 0;
  // The HTTP upgrade with the options' headers and subprotocol offer. The response is filled
  // in on success and on rejection (status, headers, body).
  virtual void async_upgrade(const ws_url& url, const connect_options& options,
                             std::function<void(error_code, upgrade_response)> done) = 0;
  virtual void async_read(std::function<void(error_code, std::string payload, bool binary)> done) = 0;
  // payload must stay alive until done runs.
  virtual void async_write(const std::string& payload, bool binary, std::function<void(error_code)> done) = 0;
  virtual void async_ping(const std::string& payload, std::function<void(error_code)> done) = 0;
  // Sends a close frame (code 0: without code), reads until the peer's close frame, tears down.
  virtual void async_close(std::uint16_t code, const std::string& reason, std::function<void(error_code)> done) = 0;

  // Called from inside Beast's read operation for every control frame received; it must not
  // start stream operations.
  virtual void set_control_callback(std::function<void(control_frame, std::string_view payload)> cb) = 0;
  virtual void set_read_limit(std::size_t max_message) = 0;

  // The close frame received from the peer: code 0 when none was received (or it had no code).
  virtual std::pair<std::uint16_t, std::string> peer_close() const = 0;
  // Closes the socket at once (and cancels a resolve); pending operations complete with errors.
  virtual void close_now() = 0;
};

std::unique_ptr<ws_stream> make_plain_stream(boost::asio::io_context& io);
std::unique_ptr<ws_stream> make_tls_stream(boost::asio::io_context& io, boost::asio::ssl::context& tls);

}  // namespace drover::transport::detail
