#pragma once
// A small in-process WebSocket server for tests (Boost.Beast), listening on 127.0.0.1 with an
// OS-picked port and running on its own thread. One behaviour per server, applied to every
// connection; what the server saw is readable from the test thread (all accessors lock).
//
// Build: compile tests/support/ws_test_server.cpp into the test (target drover_ws_test_server,
// see tests/unit/transport/CMakeLists.txt). The header pulls in no Boost.
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

enum class server_mode {
  echo,               // echoes every message with its type
  close_after,        // echoes close_after_messages messages, then closes with close_code/close_reason
  no_handshake,       // accepts TCP, reads, never answers the upgrade
  reset_after_open,   // completes the upgrade, then resets the TCP connection (RST)
  send_big,           // after the upgrade sends one binary message of big_size bytes, then echoes
  reject_401,         // answers the upgrade with 401 Unauthorized, body "bad token"
  ping_client,        // after the upgrade sends `pings` pings (payloads "p0", "p1", ...), then echoes
  junk,               // answers the upgrade with bytes that are not HTTP, then closes
  silent_after_open,  // completes the upgrade, then never reads or writes (no pongs, no close answer)
};

struct ws_server_options {
  server_mode mode = server_mode::echo;
  std::size_t close_after_messages = 0;
  std::uint16_t close_code = 1000;
  std::string close_reason;
  std::size_t big_size = 0;
  int pings = 1;
  std::vector<std::string> subprotocols;  // accepted: the first one the client offers is chosen
  std::string cert_file;                  // cert_file and key_file both set: wss (PEM files)
  std::string key_file;
};

struct seen_request {
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(std::string_view name) const;  // "" when absent; names compare case-insensitively
};

class ws_test_server {
 public:
  explicit ws_test_server(ws_server_options options = {});
  ~ws_test_server();  // stops the thread; open connections are dropped
  ws_test_server(const ws_test_server&) = delete;
  ws_test_server& operator=(const ws_test_server&) = delete;

  std::uint16_t port() const;
  // "ws://127.0.0.1:<port><target>" ("wss://" when TLS); host replaces 127.0.0.1 when given.
  std::string url(std::string_view target = "/", std::string_view host = "127.0.0.1") const;

  std::optional<seen_request> last_request() const;
  std::size_t connections() const;         // TCP connections accepted
  std::size_t messages_received() const;   // data messages received over all connections
  std::size_t pongs_received() const;
  // The close frame a client sent (code, reason), if any arrived.
  std::optional<std::pair<std::uint16_t, std::string>> client_close() const;

  // Polls pred (on the calling thread) until it holds or timeout_ms passes; returns pred().
  static bool eventually(const std::function<bool()>& pred, int timeout_ms = 5000);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

// A port on 127.0.0.1 that was free a moment ago and has no listener (bound, then closed).
std::uint16_t unused_port();

}  // namespace drover::test
