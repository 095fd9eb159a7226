#pragma once
// Internal: ws_stream on a Beast websocket::stream<NextLayer>. Included only by
// ws_stream_plain.cpp and ws_stream_tls.cpp (the Beast websocket templates are costly to compile).
#include <algorithm>
#include <type_traits>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "harness/transport/source_connect.hpp"
#include "harness/transport/ws_stream.hpp"

namespace drover::transport::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;

// The TLS specialisation provides this (SNI, verification, handshake); plain streams skip it.
template <class NextLayer>
struct tls_step {
  static constexpr bool enabled = false;
  template <class F>
  static void run(NextLayer&, const std::string&, F&&) {}
};

template <class NextLayer>
class beast_ws_stream final : public ws_stream {
 public:
  template <class... Args>
  explicit beast_ws_stream(net::io_context& io, Args&... args) : resolver_(io), ws_(io, args...) {
    // Timeouts are the owner's business (its own timers close the socket); Beast's are off.
    ws_.set_option(websocket::stream_base::timeout{websocket::stream_base::none(), websocket::stream_base::none(),
                                                   false});
    // One frame per message: predictable for the servers under test and for size limits.
    ws_.auto_fragment(false);
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
      if (!control_cb_) return;
      control_frame k = kind == websocket::frame_type::ping   ? control_frame::ping
                        : kind == websocket::frame_type::pong ? control_frame::pong
                                                              : control_frame::close;
      control_cb_(k, std::string_view(payload.data(), payload.size()));
    });
  }

  void async_connect(const ws_url& url, std::optional<net::ip::address> source,
                     std::function<void(error_code, connect_stage, std::string)> done) override {
    host_ = url.host;
    resolver_.async_resolve(url.host, url.port,
                            [this, source, done = std::move(done)](error_code ec, auto results) mutable {
      if (ec) return done(ec, connect_stage::resolve, {});
      auto connected = [this, done = std::move(done)](error_code ec, std::string detail) mutable {
        if (ec) return done(ec, connect_stage::tcp, std::move(detail));
        error_code ignored;
        beast::get_lowest_layer(ws_).socket().set_option(net::ip::tcp::no_delay(true), ignored);
        if constexpr (tls_step<NextLayer>::enabled) {
          tls_step<NextLayer>::run(ws_.next_layer(), host_, [done = std::move(done)](error_code ec, std::string detail) {
            done(ec, connect_stage::tls, std::move(detail));
          });
        } else {
          done({}, connect_stage::tcp, {});
        }
      };
      if (source) return async_connect_from(beast::get_lowest_layer(ws_), results, *source, std::move(connected));
      beast::get_lowest_layer(ws_).async_connect(
          results, [connected = std::move(connected)](error_code ec, const net::ip::tcp::endpoint&) mutable {
            connected(ec, std::string());
          });
    });
  }

  void async_upgrade(const ws_url& url, const connect_options& options,
                     std::function<void(error_code, upgrade_response)> done) override {
    ws_.set_option(websocket::stream_base::decorator(
        [headers = options.headers, offer = join(options.subprotocols)](websocket::request_type& req) {
          req.set(http::field::user_agent, "drover");
          if (!offer.empty()) req.set(http::field::sec_websocket_protocol, offer);
          // The first occurrence of a name replaces a default, later ones add a repeated field.
          for (std::size_t i = 0; i < headers.size(); ++i) {
            // Not a structured binding: clang 14 cannot capture one in the lambda below.
            const auto& name = headers[i].first;
            const auto& value = headers[i].second;
            bool repeated = std::any_of(headers.begin(), headers.begin() + static_cast<std::ptrdiff_t>(i),
                                        [&](const auto& h) { return beast::iequals(h.first, name); });
            if (repeated)
              req.insert(name, value);
            else
              req.set(name, value);
          }
        }));
    response_ = {};
    ws_.async_handshake(response_, url.host_header(), url.target, [this, done = std::move(done)](error_code ec) {
      upgrade_response r;
      // Beast hands the response over only when one was parsed (accepted or judged by it).
      if (ec && ec != websocket::condition::handshake_failed) return done(ec, std::move(r));
      r.status = static_cast<int>(response_.result_int());
      r.reason = std::string(response_.reason());
      for (const auto& field : response_)
        r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      r.body = response_.body().substr(0, 4096);
      r.subprotocol = std::string(response_[http::field::sec_websocket_protocol]);
      response_ = {};  // copied out: its fields would otherwise stay allocated for the session
      done(ec, std::move(r));
    });
  }

  void async_read(std::function<void(error_code, std::string, bool)> done) override {
    ws_.async_read(read_buf_, [this, done = std::move(done)](error_code ec, std::size_t) {
      if (ec) return done(ec, {}, false);
      std::string payload = beast::buffers_to_string(read_buf_.data());
      read_buf_.consume(read_buf_.size());
      done({}, std::move(payload), !ws_.got_text());
    });
  }

  void async_write(const std::string& payload, bool binary, std::function<void(error_code)> done) override {
    ws_.binary(binary);
    ws_.async_write(net::buffer(payload), [done = std::move(done)](error_code ec, std::size_t) { done(ec); });
  }

  void async_ping(const std::string& payload, std::function<void(error_code)> done) override {
    websocket::ping_data data(payload.data(), std::min(payload.size(), data_capacity<websocket::ping_data>()));
    ws_.async_ping(data, [done = std::move(done)](error_code ec) { done(ec); });
  }

  void async_close(std::uint16_t code, const std::string& reason, std::function<void(error_code)> done) override {
    websocket::close_reason cr;
    cr.code = code;
    cr.reason.assign(reason.data(), std::min(reason.size(), data_capacity<decltype(cr.reason)>()));
    ws_.async_close(cr, [done = std::move(done)](error_code ec) { done(ec); });
  }

  void set_control_callback(std::function<void(control_frame, std::string_view)> cb) override {
    control_cb_ = std::move(cb);
  }
  void set_read_limit(std::size_t max_message) override { ws_.read_message_max(max_message); }

  std::pair<std::uint16_t, std::string> peer_close() const override {
    const auto& r = ws_.reason();
    return {static_cast<std::uint16_t>(r.code), std::string(r.reason.data(), r.reason.size())};
  }

  void close_now() override {
    resolver_.cancel();
    beast::get_lowest_layer(ws_).close();
  }

 private:
  template <class StaticString>
  static constexpr std::size_t data_capacity() {
    return StaticString::static_capacity;
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
      if (!out.empty()) out += ", ";
      out += item;
    }
    return out;
  }

  net::ip::tcp::resolver resolver_;
  websocket::stream<NextLayer> ws_;
  beast::flat_buffer read_buf_;
  websocket::response_type response_;
  std::function<void(control_frame, std::string_view)> control_cb_;
  std::string host_;
};

}  // namespace drover::transport::detail
