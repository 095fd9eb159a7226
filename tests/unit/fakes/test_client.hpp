#pragma once
// A tiny blocking WebSocket client for the fakes' tests, on Beast directly (not harness/transport,
// so that a bug there cannot hide one here). One thread; every call runs its own io_context
// until the answer or the timeout.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>

namespace drover::fakes::test {

using namespace std::chrono_literals;

struct ws_event {
  enum class kind { message, closed, error, timeout };
  kind what = kind::timeout;
  std::string data;
  bool text = true;
  int close_code = 0;  // for closed
  std::string close_reason;
  std::string error;   // for error
};

class test_client {
 public:
  // Connects and completes the upgrade; the outcome is in handshake_ok()/http_status().
  test_client(std::uint16_t port, const std::string& target = "/",
              std::chrono::milliseconds timeout = 3000ms);
  ~test_client();

  bool handshake_ok() const { return handshake_ok_; }
  bool handshake_timed_out() const { return handshake_timed_out_; }
  unsigned http_status() const { return http_status_; }

  void send(std::string_view text);
  void send_binary(std::string_view data);
  // The next message or close; timeout when nothing arrives in time.
  ws_event next(std::chrono::milliseconds timeout = 3000ms);
  // The next event, which must be a text message holding a JSON object (else GTest failure, {}).
  boost::json::object next_json(std::chrono::milliseconds timeout = 3000ms);
  // Skips messages until a close or error arrives; returns the close code (0 for error/timeout).
  int wait_close(std::chrono::milliseconds timeout = 3000ms);
  int pings_received() const { return pings_; }
  int messages_seen() const { return messages_; }
  // Sends a close frame with `code` and waits for the server's answer and the end of TCP.
  // True when the closing handshake completed.
  bool close(int code = 1000, std::chrono::milliseconds timeout = 5000ms);
  // Ends TCP without a close frame: reset (RST, whatever the server has not read yet is lost)
  // or not (FIN after the bytes already sent).
  void drop(bool reset = true);

 private:
  void run_until(const bool& done, std::chrono::milliseconds timeout);
  void arm_read();
  void write(std::string_view data, bool text);

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<ws_event> events_;
  bool reading_ = false;
  bool ended_ = false;
  bool handshake_ok_ = false;
  bool handshake_timed_out_ = false;
  unsigned http_status_ = 0;
  int pings_ = 0;
  int messages_ = 0;
};

// Writes raw bytes over TCP and reports whether the server then closed the connection
// (EOF or reset) within the timeout.
bool raw_bytes_get_closed(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout);

}  // namespace drover::fakes::test
