#pragma once
// Helpers for the vStats fake's tests: start it with test-friendly timings, agent reports,
// waiting for a dashboard message of a given type, a normal (1000) agent close and a client
// that never answers pings.
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json.hpp>

#include "fakes/vstats/vstats_server.hpp"
#include "test_client.hpp"

namespace drover::fakes::test {

namespace json = boost::json;
using namespace std::chrono_literals;

// Long timers by default so that only the tests about timers see them fire.
inline vstats_config vstats_test_config() {
  vstats_config config;
  config.listen.threads = 2;
  config.ping_interval = 10'000ms;
  config.report_interval = 10'000ms;
  return config;
}

inline std::string agent_target(const std::string& token, const std::string& extra = "") {
  return "/ws/agent?token=" + token + extra;
}

// A documented report; total_rx / total_tx tell reports apart.
inline std::string report_frame(std::int64_t n) {
  json::object report{
      {"timestamp", "2024-01-01T12:00:00Z"},
      {"hostname", "host"},
      {"cpu", {{"cores", 4}, {"usage", 12.5}}},
      {"memory", {{"total", 8000}, {"used", 4000}}},
      {"disks", json::array{json::object{{"name", "sda1"}, {"total", 100}, {"used", 50}}}},
      {"network", {{"interfaces", json::array{}}, {"total_rx", 1000 + n}, {"total_tx", 2000 + n}}},
      {"uptime", 60},
  };
  return json::serialize(json::object{{"type", "metrics"}, {"data", std::move(report)}});
}

inline std::string heartbeat_frame() { return R"({"type":"heartbeat","timestamp":"2024-01-01T12:00:00Z"})"; }

inline std::string type_of(const json::object& m) {
  const json::value* t = m.if_contains("type");
  return t && t->is_string() ? std::string(t->as_string()) : "";
}

// Skips messages until one of `type` arrives (or the timeout); {} when none did.
inline json::object next_of_type(test_client& c, const std::string& type, std::chrono::milliseconds timeout = 3000ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {};
    ws_event e = c.next(left);
    if (e.what != ws_event::kind::message) return {};
    boost::system::error_code ec;
    auto v = json::parse(e.data, ec);
    if (!ec && v.is_object() && type_of(v.as_object()) == type) return v.as_object();
  }
}

// Connects an agent, then closes it normally (1000) and waits for the server's answer.
inline void agent_closes_normally(std::uint16_t port, const std::string& token, const std::string& report = "") {
  boost::asio::io_context ioc;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws(ioc);
  boost::beast::get_lowest_layer(ws).connect({boost::asio::ip::make_address("127.0.0.1"), port});
  ws.handshake("127.0.0.1", agent_target(token));
  if (!report.empty()) ws.write(boost::asio::buffer(report));
  ws.close(boost::beast::websocket::close_code::normal);
}

// Completes the upgrade by hand and then never reads, so it never answers a ping.
// closed_within() says whether the server dropped the TCP connection in time.
class silent_peer {
 public:
  silent_peer(std::uint16_t port, const std::string& target) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    std::string request = "GET " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    boost::asio::write(socket_, boost::asio::buffer(request));
    boost::asio::streambuf head;
    boost::asio::read_until(socket_, head, "\r\n\r\n");
    std::string text(boost::asio::buffers_begin(head.data()), boost::asio::buffers_end(head.data()));
    upgraded_ = text.rfind("HTTP/1.1 101", 0) == 0;
  }
  bool upgraded() const { return upgraded_; }
  // Reads (and discards) frames without answering until EOF/reset or the timeout.
  bool closed_within(std::chrono::milliseconds timeout) {
    bool closed = false;
    std::function<void()> more = [&] {
      socket_.async_read_some(boost::asio::buffer(buf_), [&](boost::system::error_code ec, std::size_t) {
        if (ec) {
          closed = true;
          return;
        }
        more();
      });
    };
    more();
    ioc_.run_for(timeout);
    return closed;
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  char buf_[4096];
  bool upgraded_ = false;
};

}  // namespace drover::fakes::test
