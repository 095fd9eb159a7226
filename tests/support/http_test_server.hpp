#pragma once
// A small in-process HTTP/1.1 server for tests (Boost.Beast, synchronous, a thread per
// connection), listening on 127.0.0.1 with an OS-picked port. Keep-alive is honoured: a
// connection serves requests until the client closes it, an answer says close, or the server
// stops. Every request goes to one handler (called on the connection's thread); what the
// server saw is readable from the test thread (all accessors lock).
//
// Build: target drover_http_test_server (see tests/unit/transport/CMakeLists.txt). The header
// pulls in no Boost.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drover::test {

struct http_seen {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::size_t connection = 0;  // 1-based number of the TCP connection it came on
  std::string header(std::string_view name) const;  // "" when absent; names compare case-insensitively
};

struct http_answer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;   // answer with Connection: close and close the connection after it
  int delay_ms = 0;     // wait this long before answering (cut short when the server stops)
  bool drop = false;    // close the connection without answering
  bool hang_up = false; // answer as keep-alive, then close the connection anyway (a stale idle connection)
};

struct http_server_options {
  // Default: 200, application/json {"method":..,"target":..,"body":..,"cookie":..}.
  std::function<http_answer(const http_seen&)> handler;
  std::string cert_file;  // cert_file and key_file both set: https (PEM files)
  std::string key_file;
};

class http_test_server {
 public:
  explicit http_test_server(http_server_options options = {});
  ~http_test_server();  // stops the threads; open connections are dropped
  http_test_server(const http_test_server&) = delete;
  http_test_server& operator=(const http_test_server&) = delete;

  std::uint16_t port() const;
  // "http://127.0.0.1:<port><target>" ("https://" with TLS); host replaces 127.0.0.1 when given.
  std::string url(std::string_view target = "/", std::string_view host = "127.0.0.1") const;

  std::size_t connections() const;  // TCP connections accepted
  std::vector<http_seen> requests() const;
  std::optional<http_seen> last_request() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace drover::test
