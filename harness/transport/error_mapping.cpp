#include "harness/transport/error_mapping.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

namespace drover::transport {

const char* to_string(error_kind kind) {
  switch (kind) {
    case error_kind::none: return "none";
    case error_kind::dns: return "dns";
    case error_kind::connection_refused: return "connection_refused";
    case error_kind::connect_timeout: return "connect_timeout";
    case error_kind::tls: return "tls";
    case error_kind::handshake_timeout: return "handshake_timeout";
    case error_kind::handshake_rejected: return "handshake_rejected";
    case error_kind::reset: return "reset";
    case error_kind::closed: return "closed";
    case error_kind::message_too_big: return "message_too_big";
    case error_kind::recv_timeout: return "recv_timeout";
    case error_kind::write_timeout: return "write_timeout";
    case error_kind::ping_timeout: return "ping_timeout";
    case error_kind::close_timeout: return "close_timeout";
    case error_kind::protocol: return "protocol";
    case error_kind::inbox_overflow: return "inbox_overflow";
    case error_kind::cancelled: return "cancelled";
    case error_kind::usage: return "usage";
    case error_kind::other: return "other";
  }
  return "other";
}

namespace detail {

namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;

std::string ms_text(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

bool is_clean_close(error_code ec) { return ec == websocket::error::closed; }

bool is_drop(error_code ec) {
  return ec == net::error::eof || ec == net::error::connection_reset || ec == net::error::connection_aborted ||
         ec == net::error::broken_pipe || ec == net::error::not_connected || ec == net::ssl::error::stream_truncated;
}

error_info connect_error(error_code ec, connect_stage stage, const std::string& detail, const std::string& where) {
  switch (stage) {
    case connect_stage::resolve:
      return {error_kind::dns, "cannot resolve the host of " + where + ": " + ec.message()};
    case connect_stage::tcp:
      // detail: the source address (--source-ips), or why it could not be used
      if (ec == net::error::connection_refused)
        return {error_kind::connection_refused,
                "connection refused by " + where + (detail.empty() ? "" : " (" + detail + ")")};
      if (!detail.empty()) return {error_kind::other, "cannot connect to " + where + " (" + detail + "): " + ec.message()};
      return {error_kind::other, "cannot connect to " + where + ": " + ec.message()};
    case connect_stage::tls:
      if (!detail.empty())
        return {error_kind::tls, "TLS handshake with " + where + " failed: certificate verification: " + detail};
      return {error_kind::tls, "TLS handshake with " + where + " failed: " + ec.message()};
  }
  return {error_kind::other, ec.message()};
}

error_info upgrade_error(error_code ec, const upgrade_response& response, const std::string& where) {
  if (ec == websocket::error::upgrade_declined || (response.status != 0 && response.status != 101)) {
    std::string text = "upgrade rejected: HTTP " + std::to_string(response.status);
    if (!response.reason.empty()) text += " " + response.reason;
    return {error_kind::handshake_rejected, text + " (from " + where + ")"};
  }
  if (is_drop(ec))
    return {error_kind::reset, where + " closed the connection without answering the upgrade (" + ec.message() + ")"};
  if (ec.category() == http::make_error_code(http::error::bad_version).category())
    return {error_kind::protocol, "the upgrade answer from " + where + " is not valid HTTP: " + ec.message()};
  if (ec == websocket::condition::handshake_failed)
    return {error_kind::protocol, "invalid upgrade answer from " + where + ": " + ec.message()};
  return {error_kind::other, "upgrade with " + where + " failed: " + ec.message()};
}

error_info stream_error(error_code ec, const std::string& where, std::size_t max_message) {
  if (ec == websocket::error::message_too_big)
    return {error_kind::message_too_big,
            "a message from " + where + " exceeded the limit of " + std::to_string(max_message) + " bytes"};
  if (is_clean_close(ec)) return {error_kind::closed, "the connection to " + where + " is closed"};
  if (is_drop(ec))
    return {error_kind::reset, "the connection to " + where + " dropped without a close frame (" + ec.message() + ")"};
  if (ec == websocket::condition::protocol_violation)
    return {error_kind::protocol, "WebSocket protocol violation by " + where + ": " + ec.message()};
  if (ec == net::error::operation_aborted) return {error_kind::cancelled, "the operation was cancelled"};
  return {error_kind::other, "connection to " + where + " failed: " + ec.message()};
}

}  // namespace detail
}  // namespace drover::transport
