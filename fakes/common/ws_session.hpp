#pragma once
// One server-side WebSocket connection, the part every fake shares: read the HTTP upgrade
// (10 s, 8 KiB of headers), let the fake accept, refuse or ignore it, then a read loop and an
// ordered write queue in which a close is just the last item.
//
// Threading: everything runs on the owning worker's thread; subclasses are called there too.
// Ownership: held by shared_ptr; pending operations keep it alive. Subclasses must cancel their
// own timers in on_closed() so that the session can die.
// Robustness: junk instead of HTTP, a slow or half-open client, a message above
// read_message_max (closed 1009 by Beast) or a peer that never reads (queue above
// max_queued_bytes: dropped) end only this connection.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "fakes/common/server.hpp"

namespace drover::fakes {

struct session_limits {
  std::chrono::milliseconds handshake_timeout{10'000};  // HTTP upgrade, and the closing handshake
  std::chrono::milliseconds idle_timeout{120'000};      // silence before Beast pings, then drops
  bool keep_alive_pings = true;
  std::size_t read_message_max = 1 << 20;
  std::size_t max_queued_bytes = 64u << 20;
  std::chrono::milliseconds hold_timeout{300'000};      // how long an unanswered upgrade is held
};

using upgrade_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

class ws_session : public session_base, public std::enable_shared_from_this<ws_session> {
 public:
  ws_session(boost::asio::ip::tcp::socket socket, worker& w, session_limits limits);
  ~ws_session() override;

  // Starts reading the upgrade request. Call once, right after make_shared.
  void start();
  void shutdown() override;

 protected:
  enum class upgrade_action { accept, reject, hold };
  struct upgrade_decision {
    upgrade_action action = upgrade_action::accept;
    unsigned status = 101;  // for reject
    std::string body;       // for reject
  };
  // The fake looks at the request (target, ?fault=) and decides. Called once.
  virtual upgrade_decision on_upgrade(const upgrade_request& request) = 0;
  // A request that is not a WebSocket upgrade. The default (nullopt) answers 426 and closes.
  // A fake that serves plain HTTP on its port returns the answer (version, Server and
  // Content-Length are filled in); when both request and answer keep the connection alive,
  // the next request (pipelined or later, each within handshake_timeout) is read on the same
  // connection and may be an upgrade. Throwing answers 400 and closes.
  virtual std::optional<http_response> on_http(const upgrade_request&) { return std::nullopt; }
  // The WebSocket is open; reading starts right after.
  virtual void on_open() = 0;
  // One complete message. Not called once a close is queued.
  virtual void on_message(std::string_view payload, bool text) = 0;
  // The connection is over (any way, called at most once). Cancel timers here.
  virtual void on_closed() {}
  // A pong arrived (an answer to ping(), or unsolicited). On the session's thread.
  virtual void on_pong() {}
  // A ping arrived; Beast answers it with a pong right after this returns, unless this calls
  // reset() (a fault that leaves pings unanswered). On the session's thread.
  virtual void on_ping() {}

  void send(std::shared_ptr<const std::string> payload, bool text = true);
  void send(std::string payload, bool text = true);
  // Queues a close frame after whatever is already queued; later sends are ignored.
  void close(std::uint16_t code, std::string reason);
  // Drops the TCP connection at once with an RST, no close frame.
  void reset();
  // Sends one WebSocket ping unless one is still in flight or a close is queued.
  void ping();

  // The close code the peer sent in its close frame; 0 when it sent none (yet).
  std::uint16_t peer_close_code() const { return static_cast<std::uint16_t>(ws_.reason().code); }
  bool open() const { return phase_ == phase::open; }
  bool closing() const { return phase_ != phase::open; }
  boost::asio::any_io_executor executor() { return ws_.get_executor(); }
  session_limits limits_;

 private:
  enum class phase { upgrading, held, open, close_queued, done };
  struct outgoing {
    std::shared_ptr<const std::string> payload;  // null: this item is the close frame
    bool text = true;
    std::uint16_t close_code = 0;
    std::string close_reason;
  };

  void read_request();
  void on_request(boost::system::error_code ec);
  void respond(http_response response);
  void reject(unsigned status, std::string body);
  void hold();
  void drain_held();
  void read_next();
  void write_next();
  void finish();
  std::shared_ptr<ws_session> self() { return shared_from_this(); }

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::deque<outgoing> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool pinging_ = false;
  phase phase_ = phase::upgrading;
  bool accepting_ = false;         // the 101 is being written
  bool shutdown_pending_ = false;  // shutdown() came while accepting_: close once open
  bool finished_ = false;
};

// Epoch milliseconds now (system clock), for server_time fields.
std::int64_t epoch_ms_now();

}  // namespace drover::fakes
