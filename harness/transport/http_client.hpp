#pragma once
// HTTP/1.1 client for scenarios (http:// and https://) on Boost.Beast, fully asynchronous, with
// keep-alive reuse: one http_client per simulated client keeps at most one idle connection per
// scheme+host+port and sends the next request to that origin over it. A response with
// `Connection: close` (or HTTP/1.0 without keep-alive), a failure or a timeout closes the
// connection instead. Redirects are not followed: a 3xx is a response like any other.
//
// Threading: created on a worker; every method must be called on, and every callback runs on,
// that worker's io_context thread. Callbacks are always posted, never run inside the call.
// Ownership: the client owns its connections (idle and in use). Destroying it, or abort(),
// ends every request in flight with http_error::cancelled and closes every connection.
//
// Timing: steady_clock stamps taken here (k6's phases): connecting (resolve + TCP connect),
// tls (TLS handshake), sending (request written), waiting (written -> response header read),
// receiving (header -> body read). duration = sending + waiting + receiving, as in k6;
// connecting and tls are 0 on a reused connection.
//
// Metrics: when a recorder is given, every request records http_reqs (counter) and
// http_req_failed (rate: a transport error or a status >= 400); every response records the
// trends http_req_duration, http_req_connecting, http_req_tls_handshaking, http_req_sending,
// http_req_waiting, http_req_receiving (ms); transport errors are counted by kind as
// "http_<word>" (not in ws_errors).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "harness/common/url.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::metrics {
class recorder;
}

namespace drover::transport {

enum class http_error {
  none,
  dns,                 // the host did not resolve
  connection_refused,
  connect_timeout,     // DNS + TCP + TLS of a new connection did not finish in connect_timeout
  tls,                 // TLS handshake or certificate verification failed
  timeout,             // the whole request did not finish in its timeout
  reset,               // the server closed or reset the connection before the response was complete
  body_too_big,        // the response body exceeded max_body
  protocol,            // the answer is not valid HTTP/1.x
  cancelled,           // abort() or the client's end
  other,
};
const char* to_string(http_error kind);  // "connection_refused", "body_too_big", ...

// Parses an http:// or https:// URL (host name, IPv4 or [IPv6], port, path, query) into a
// ws_url whose `secure` means https. Throws usage_error naming the URL and the reason.
ws_url parse_http_url(std::string_view text);

struct http_request {
  std::string method = "GET";
  ws_url url;                                                 // secure: https
  std::vector<std::pair<std::string, std::string>> headers;   // sent as given (after Host, User-Agent)
  std::string body;                                           // Content-Length is set from it
  std::chrono::milliseconds connect_timeout{10'000};          // DNS + TCP + TLS of a new connection
  std::chrono::milliseconds timeout{60'000};                  // the whole request; <= 0: none
  std::size_t max_body = 10 * 1024 * 1024;                    // bytes; larger -> body_too_big
  // Local address of a new connection, the pool's next (--source-ips); null: the kernel picks.
  std::shared_ptr<const source_ip_pool> source_ips;
};

// "" when the request can be sent, else what is wrong with it (a method that is not a token,
// a header name or value with CR, LF or NUL), for the script's author.
std::string check_http_request(const http_request& request);

struct http_timings {  // milliseconds
  double connecting = 0;
  double tls = 0;
  double sending = 0;
  double waiting = 0;
  double receiving = 0;
  double duration() const { return sending + waiting + receiving; }
};

struct http_response {
  http_error error = http_error::none;
  std::string message;  // for the user when error is set: what happened, with host:port
  int status = 0;
  std::string reason;   // reason phrase
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as received
  std::string body;
  http_timings timings;
  bool reused = false;  // sent over a kept-alive connection
  explicit operator bool() const { return error == http_error::none; }
};

class http_client {
 public:
  // tls may be null (https then fails with a usage message); rec may be null (no metrics).
  // Both must outlive the client.
  http_client(boost::asio::io_context& io, boost::asio::ssl::context* tls, metrics::recorder* rec);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // Several requests may be in flight (each on its own connection); done runs exactly once.
  void async_request(http_request request, std::function<void(http_response)> done);

  void close_idle();   // closes the kept-alive connections (end of an iteration)
  void abort();        // close_idle() and every request in flight ends with cancelled
  std::size_t idle_connections() const;

  struct pool;

 private:
  std::shared_ptr<pool> pool_;
};

// HTTP connections (TCP or TLS sockets of http_client) alive in this process, on any thread.
std::size_t live_http_connections();

}  // namespace drover::transport
