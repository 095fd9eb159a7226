#include "test_client.hpp"

#include <functional>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/json/parse.hpp>

namespace drover::fakes::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

test_client::test_client(std::uint16_t port, const std::string& target, std::chrono::milliseconds timeout)
    : ws_(ioc_) {
  beast::get_lowest_layer(ws_).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws_.read_message_max(64u << 20);
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping) ++pings_;
  });
  websocket::response_type response;
  bool done = false;
  beast::error_code ec;
  ws_.async_handshake(response, "127.0.0.1:" + std::to_string(port), target, [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  run_until(done, timeout);
  if (!done) {
    handshake_timed_out_ = true;
    beast::get_lowest_layer(ws_).close();
    ioc_.restart();
    ioc_.run();
    ended_ = true;
    return;
  }
  http_status_ = response.result_int();
  handshake_ok_ = !ec;
  if (!handshake_ok_) ended_ = true;
}

test_client::~test_client() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  ioc_.restart();
  ioc_.poll();
}

void test_client::run_until(const bool& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  ioc_.restart();
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (ioc_.run_one_until(deadline) == 0 && ioc_.stopped()) break;  // no work left
  }
}

void test_client::send(std::string_view text) { write(text, true); }

void test_client::send_binary(std::string_view data) { write(data, false); }

void test_client::write(std::string_view data, bool text) {
  if (ended_) return;
  bool done = false;
  ws_.text(text);
  ws_.async_write(asio::buffer(data.data(), data.size()), [&](beast::error_code, std::size_t) { done = true; });
  run_until(done, 10s);
}

void test_client::arm_read() {
  if (reading_ || ended_) return;
  reading_ = true;
  ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
    reading_ = false;
    ws_event e;
    if (!ec) {
      e.what = ws_event::kind::message;
      e.data = beast::buffers_to_string(buffer_.cdata());
      e.text = ws_.got_text();
      buffer_.consume(buffer_.size());
      ++messages_;
      events_.push_back(std::move(e));
      arm_read();
      return;
    }
    ended_ = true;
    if (ec == websocket::error::closed) {
      e.what = ws_event::kind::closed;
      e.close_code = ws_.reason().code;
      e.close_reason = std::string(ws_.reason().reason.c_str());
    } else {
      e.what = ws_event::kind::error;
      e.error = ec.message();
    }
    events_.push_back(std::move(e));
  });
}

ws_event test_client::next(std::chrono::milliseconds timeout) {
  arm_read();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  ioc_.restart();
  while (events_.empty() && std::chrono::steady_clock::now() < deadline) {
    if (ioc_.run_one_until(deadline) == 0 && ioc_.stopped()) break;  // no work left
  }
  if (events_.empty()) return ws_event{};
  ws_event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

boost::json::object test_client::next_json(std::chrono::milliseconds timeout) {
  ws_event e = next(timeout);
  if (e.what != ws_event::kind::message) {
    ADD_FAILURE() << "expected a message, got "
                  << (e.what == ws_event::kind::closed ? "close " + std::to_string(e.close_code)
                      : e.what == ws_event::kind::error ? "error " + e.error
                                                        : std::string("nothing (timeout)"));
    return {};
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(e.data, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << e.data.substr(0, 200);
    return {};
  }
  return v.as_object();
}

int test_client::wait_close(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    ws_event e = next(left);
    if (e.what == ws_event::kind::closed) return e.close_code;
    if (e.what != ws_event::kind::message) return 0;
  }
}

bool test_client::close(int code, std::chrono::milliseconds timeout) {
  if (ended_) return false;
  bool done = false;
  beast::error_code ec;
  ws_.async_close(websocket::close_reason(static_cast<std::uint16_t>(code)), [&](beast::error_code e) {
    ec = e;
    done = true;
  });
  run_until(done, timeout);
  ended_ = true;
  return done && !ec;
}

void test_client::drop(bool reset) {
  beast::error_code ignored;
  auto& s = beast::get_lowest_layer(ws_).socket();
  if (reset) s.set_option(asio::socket_base::linger(true, 0), ignored);
  s.close(ignored);
  ended_ = true;
}

bool raw_bytes_get_closed(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  asio::write(socket, asio::buffer(bytes), ec);
  char buf[4096];
  bool closed = false;
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(buf), [&](beast::error_code rec, std::size_t) {
      if (rec) {
        closed = true;
        return;
      }
      read_more();  // an error response (400) may come first
    });
  };
  read_more();
  ioc.run_for(timeout);
  return closed;
}

}  // namespace drover::fakes::test
