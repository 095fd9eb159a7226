#pragma once
// Internal: the Beast-facing half of an HTTP connection, one implementation per next layer
// (tcp_stream for http://, ssl_stream<tcp_stream> for https://), both in http_stream.cpp so
// that Beast's HTTP parser templates are compiled in one translation unit. It only drives
// Beast; timeouts, pooling, metrics and user callbacks live in http_client.cpp.
//
// Threading: the owner's io_context thread only. Completion functions run from Asio
// completion handlers (never inside the initiating call); at most one operation at a time.
// The owner keeps the stream alive until its pending operation has completed.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "harness/common/url.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::transport::detail {

enum class http_stage { resolve, tcp, tls };

struct http_head {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  bool keep_alive = false;  // the server lets the connection be reused (HTTP/1.1 without close)
};

class http_stream {
 public:
  using error_code = boost::system::error_code;
  virtual ~http_stream() = default;

  // Resolves, connects TCP (every address in turn; from `source` when given, see
  // source_connect.hpp) and, for https, runs the TLS handshake with SNI and host name
  // verification. tcp_done: when TCP connected (TLS starts then). detail: why certificate
  // verification failed, or the source address when it was given.
  virtual void async_connect(const ws_url& url, std::optional<boost::asio::ip::address> source,
                             std::function<void(error_code, http_stage, std::string detail, clock::time_point tcp_done)>
                                 done) = 0;
  // Writes the serialized request; text must stay alive until done runs.
  virtual void async_write(const std::string& text, std::function<void(error_code)> done) = 0;
  // Reads the response header (a fresh parser each time). no_body: the answer to HEAD.
  virtual void async_read_head(std::size_t max_body, bool no_body,
                               std::function<void(error_code, http_head)> done) = 0;
  // Reads the rest of the body; http::error::body_limit when it exceeds max_body.
  virtual void async_read_body(std::function<void(error_code, std::string body)> done) = 0;
  // Closes the socket at once (and cancels a resolve); pending operations complete with errors.
  virtual void close_now() = 0;
};

std::unique_ptr<http_stream> make_http_stream(boost::asio::io_context& io, boost::asio::ssl::context* tls);

}  // namespace drover::transport::detail
