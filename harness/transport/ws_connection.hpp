#pragma once
// One client WebSocket connection (ws:// or wss://) on Boost.Beast, fully asynchronous.
//
// Threading: created on a worker; every method must be called on, and every callback runs
// on, that worker's io_context thread (concurrency hint 1, no strands needed).
// Ownership: the connection is held by shared_ptr; pending operations keep it alive.
//
// Reading: once open, a read loop runs continuously and buffers messages in an inbox
// (bounded by connect_options::max_inbox; overflow drops the newest and counts an
// "inbox_overflow" error). async_recv takes from the inbox or waits for the next message.
// Server pings are answered automatically (Beast) and their arrival times kept.
//
// Timing: every time stamp is steady_clock, taken here, never in Lua. sent_at is stamped
// when the frame is handed to Beast for writing; received_at when the read completes.
//
// Metrics: when a recorder is given, the connection records the built-in ws_* metrics
// (connecting, handshaking, msgs/bytes sent and received, sessions, session duration,
// ping, errors by kind, close codes received).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "harness/common/source_ips.hpp"
#include "harness/common/url.hpp"

namespace drover::metrics {
class recorder;
}

namespace drover::transport {

using clock = std::chrono::steady_clock;

enum class error_kind {
  none,
  dns,                 // name did not resolve
  connection_refused,
  connect_timeout,     // TCP connect did not finish in time
  tls,                 // TLS handshake or certificate verification failed
  handshake_timeout,   // no (complete) HTTP 101 answer in time
  handshake_rejected,  // the server answered the upgrade with a status other than 101
  reset,               // connection reset / dropped without a close frame
  closed,              // the WebSocket was closed (by either side) before/while the operation ran
  message_too_big,     // inbound message above max_message
  recv_timeout,        // async_recv: nothing arrived in time (the connection stays usable)
  write_timeout,
  ping_timeout,
  close_timeout,       // our close frame was not answered in time
  protocol,            // WebSocket protocol violation by the server
  inbox_overflow,
  cancelled,           // abort() was called
  usage,               // the caller broke the contract (e.g. send before connect)
  other,
};
const char* to_string(error_kind kind);  // "connection_refused", ...

struct error_info {
  error_kind kind = error_kind::none;
  std::string message;  // for the user: what happened, with host:port where useful
  explicit operator bool() const { return kind != error_kind::none; }
};

struct tls_options {
  bool insecure = false;   // skip certificate verification (--insecure)
  std::string ca_file;     // extra CA bundle (--ca FILE); empty: system defaults
};

struct connect_options {
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers (tokens, cookies, Origin)
  std::vector<std::string> subprotocols;                     // Sec-WebSocket-Protocol offer
  std::chrono::milliseconds connect_timeout{10'000};         // DNS + TCP (+ TLS)
  std::chrono::milliseconds handshake_timeout{10'000};       // HTTP upgrade
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t max_message = 16 * 1024 * 1024;                // bytes; larger inbound message -> message_too_big
  std::size_t max_inbox = 100'000;                           // buffered unread messages
  // Local addresses to connect from, in turn (--source-ips); null: the kernel picks. Shared by
  // every copy of the options, so that all connections of a run take the addresses in turn.
  std::shared_ptr<const source_ip_pool> source_ips;
};

struct connect_result {
  error_info error;
  clock::time_point started{};
  clock::time_point tcp_connected{};   // also after TLS for wss
  clock::time_point open{};            // 101 received
  int http_status = 0;                 // status of the upgrade answer (101, or e.g. 401 when rejected)
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;           // body of a rejected upgrade (truncated to 4 KiB)
  std::string subprotocol;             // chosen by the server, empty if none
};

struct message {
  std::string payload;
  bool binary = false;
  clock::time_point received_at{};
};

struct close_info {
  bool closed = false;         // the connection has ended
  bool server_initiated = false;
  std::uint16_t code = 1005;   // 1005: close frame without code; 1006: no close frame (dropped)
  std::string reason;
  clock::time_point at{};
};

enum class direction { sent, received };
// Sees every text/binary message in both directions, on the worker thread (validation hook).
using message_observer = std::function<void(direction, std::string_view payload, bool binary)>;

inline constexpr std::size_t max_server_pings_kept = 10'000;

class ws_connection : public std::enable_shared_from_this<ws_connection> {
 public:
  // tls may be null when only ws:// is used; it must outlive the connection.
  // rec may be null (no metrics); it must outlive the connection.
  static std::shared_ptr<ws_connection> create(boost::asio::io_context& io, boost::asio::ssl::context* tls,
                                               metrics::recorder* rec);
  virtual ~ws_connection() = default;

  virtual void async_connect(const ws_url& url, const connect_options& options,
                             std::function<void(const connect_result&)> done) = 0;

  // Messages are queued and written in order. done may be empty.
  virtual void async_send(std::string payload, bool binary,
                          std::function<void(const error_info&, clock::time_point sent_at)> done) = 0;

  // At most one outstanding recv. timeout <= 0 waits forever.
  virtual void async_recv(std::chrono::milliseconds timeout,
                          std::function<void(const error_info&, message)> done) = 0;

  // Sends a ping and waits for the pong (rtt recorded as ws_ping).
  virtual void async_ping(std::chrono::milliseconds timeout,
                          std::function<void(const error_info&, clock::duration rtt)> done) = 0;

  // Sends a close frame with code/reason and waits for the server's close (or the end).
  virtual void async_close(std::uint16_t code, std::string reason, std::chrono::milliseconds timeout,
                           std::function<void(const error_info&)> done) = 0;

  // Waits until the connection ends (server close frame or drop); unread messages stay readable.
  virtual void async_wait_closed(std::chrono::milliseconds timeout,
                                 std::function<void(const error_info&, const close_info&)> done) = 0;

  // Tears the connection down at once; pending callbacks complete with error_kind::cancelled.
  virtual void abort() = 0;

  virtual void set_observer(message_observer observer) = 0;

  virtual bool is_open() const = 0;
  virtual const close_info& close_state() const = 0;
  // Arrival of each server ping, oldest first; under a flood only the latest (at least
  // max_server_pings_kept, fewer than twice that) are kept.
  virtual const std::vector<clock::time_point>& server_pings() const = 0;
  virtual std::size_t inbox_size() const = 0;
};

// ws_connection objects alive in this process, on any thread (destroyed ones are not counted).
// A closed connection that nothing references any more is gone: under churn this stays near the
// number of open sessions. Any thread may call it.
std::size_t live_connections();

// TLS context for wss:// (one per worker). Throws usage_error when ca_file cannot be read.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const tls_options& options);

}  // namespace drover::transport
