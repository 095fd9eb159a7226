#pragma once
// Test helper: drives one ws_connection on a private io_context and waits for each
// completion (at most 10 s, then the test fails), so tests read top to bottom.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "harness/common/url.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::transport::testing {

using namespace std::chrono_literals;

class sync_client {
 public:
  explicit sync_client(metrics::recorder* rec = nullptr, boost::asio::ssl::context* tls = nullptr)
      : conn(ws_connection::create(io, tls, rec)) {}
  // Tears the connection down so that no operation outlives the io_context.
  ~sync_client() {
    conn->abort();
    poll();
  }

  // Runs the io_context until pred holds; false (and a test failure) after the limit.
  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds limit = 10s) {
    auto until = clock::now() + limit;
    while (!pred()) {
      if (clock::now() >= until) {
        ADD_FAILURE() << "timed out waiting for a completion";
        return false;
      }
      io.restart();
      if (io.run_one_for(20ms) == 0 && io.stopped()) std::this_thread::sleep_for(1ms);
    }
    return true;
  }
  // Runs whatever is ready now (posted completions), without waiting.
  void poll() {
    io.restart();
    io.poll();
  }

  connect_result connect(const std::string& url, const connect_options& options = {}) {
    std::optional<connect_result> out;
    conn->async_connect(parse_ws_url(url), options, [&](const connect_result& r) { out = r; });
    run_until([&] { return out.has_value(); });
    return out.value_or(connect_result{});
  }

  error_info send(std::string payload, bool binary = false, clock::time_point* sent_at = nullptr) {
    std::optional<error_info> out;
    conn->async_send(std::move(payload), binary, [&](const error_info& e, clock::time_point at) {
      out = e;
      if (sent_at) *sent_at = at;
    });
    run_until([&] { return out.has_value(); });
    return out.value_or(error_info{error_kind::other, "no completion"});
  }

  std::pair<error_info, message> recv(std::chrono::milliseconds timeout = 5s) {
    std::optional<std::pair<error_info, message>> out;
    conn->async_recv(timeout, [&](const error_info& e, message m) { out.emplace(e, std::move(m)); });
    run_until([&] { return out.has_value(); });
    return out.value_or(std::pair<error_info, message>{});
  }

  std::pair<error_info, clock::duration> ping(std::chrono::milliseconds timeout = 5s) {
    std::optional<std::pair<error_info, clock::duration>> out;
    conn->async_ping(timeout, [&](const error_info& e, clock::duration rtt) { out.emplace(e, rtt); });
    run_until([&] { return out.has_value(); });
    return out.value_or(std::pair<error_info, clock::duration>{});
  }

  error_info close(std::uint16_t code, std::string reason, std::chrono::milliseconds timeout = 5s) {
    std::optional<error_info> out;
    conn->async_close(code, std::move(reason), timeout, [&](const error_info& e) { out = e; });
    run_until([&] { return out.has_value(); });
    return out.value_or(error_info{error_kind::other, "no completion"});
  }

  std::pair<error_info, close_info> wait_closed(std::chrono::milliseconds timeout = 5s) {
    std::optional<std::pair<error_info, close_info>> out;
    conn->async_wait_closed(timeout, [&](const error_info& e, const close_info& c) { out.emplace(e, c); });
    run_until([&] { return out.has_value(); });
    return out.value_or(std::pair<error_info, close_info>{});
  }

  boost::asio::io_context io{1};
  std::shared_ptr<ws_connection> conn;
};

}  // namespace drover::transport::testing
