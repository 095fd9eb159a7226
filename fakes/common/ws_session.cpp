#include "fakes/common/ws_session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace drover::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

std::int64_t epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ws_session::ws_session(asio::ip::tcp::socket socket, worker& w, session_limits limits)
    : session_base(w), limits_(limits), ws_(std::move(socket)) {}

ws_session::~ws_session() = default;

void ws_session::start() { read_request(); }

void ws_session::read_request() {
  // buffer_ is kept: it may already hold the next pipelined request.
  parser_.emplace();
  parser_->header_limit(8 * 1024);
  parser_->body_limit(4 * 1024);
  ws_.next_layer().expires_after(limits_.handshake_timeout);
  http::async_read(ws_.next_layer(), buffer_, *parser_,
                   [s = self()](beast::error_code ec, std::size_t) { s->on_request(ec); });
}

void ws_session::on_request(beast::error_code ec) {
  if (ec || phase_ != phase::upgrading) {
    // Junk instead of HTTP, a timeout, or the peer left: nothing to answer.
    ws_.next_layer().close();
    finish();
    return;
  }
  const auto& request = parser_->get();
  if (!websocket::is_upgrade(request)) {
    std::optional<http_response> answer;
    try {
      answer = on_http(request);
    } catch (const std::exception& e) {
      reject(400, std::string(e.what()) + "\n");
      return;
    }
    if (answer) return respond(std::move(*answer));
    reject(426, "this is a WebSocket endpoint: send an HTTP Upgrade request\n");
    return;
  }
  upgrade_decision decision;
  try {
    decision = on_upgrade(request);
  } catch (const std::exception& e) {
    reject(400, std::string(e.what()) + "\n");
    return;
  }
  if (decision.action == upgrade_action::reject) {
    reject(decision.status, std::move(decision.body));
    return;
  }
  if (decision.action == upgrade_action::hold) {
    hold();
    return;
  }
  ws_.next_layer().expires_never();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = limits_.handshake_timeout;
  timeouts.idle_timeout = limits_.idle_timeout;
  timeouts.keep_alive_pings = limits_.keep_alive_pings;
  ws_.set_option(timeouts);
  ws_.read_message_max(limits_.read_message_max);
  ws_.auto_fragment(false);
  // The stream belongs to this session, so the callback cannot outlive it.
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::pong) on_pong();
    if (kind == websocket::frame_type::ping) on_ping();
  });
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "drover-fake"); }));
  accepting_ = true;
  ws_.async_accept(request, [s = self()](beast::error_code aec) {
    s->accepting_ = false;
    s->parser_.reset();
    if (aec || s->phase_ != phase::upgrading) {
      beast::get_lowest_layer(s->ws_).close();
      s->finish();
      return;
    }
    s->buffer_.clear();
    s->phase_ = phase::open;
    s->on_open();
    s->read_next();
    if (s->shutdown_pending_) s->shutdown();
  });
}

void ws_session::reject(unsigned status, std::string body) {
  phase_ = phase::close_queued;
  auto response = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(status), parser_->get().version());
  response->set(http::field::server, "drover-fake");
  response->set(http::field::content_type, "text/plain");
  response->keep_alive(false);
  response->body() = std::move(body);
  response->prepare_payload();
  ws_.next_layer().expires_after(limits_.handshake_timeout);
  http::async_write(ws_.next_layer(), *response, [s = self(), response](beast::error_code, std::size_t) {
    beast::error_code ignored;
    s->ws_.next_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    s->ws_.next_layer().close();
    s->finish();
  });
}

void ws_session::respond(http_response answer) {
  bool again = answer.keep_alive() && parser_->get().keep_alive();
  auto response = std::make_shared<http_response>(std::move(answer));
  response->version(parser_->get().version());
  if (response->find(http::field::server) == response->end()) response->set(http::field::server, "drover-fake");
  response->keep_alive(again);
  response->prepare_payload();
  ws_.next_layer().expires_after(limits_.handshake_timeout);
  http::async_write(ws_.next_layer(), *response, [s = self(), response, again](beast::error_code ec, std::size_t) {
    if (!ec && again && s->phase_ == phase::upgrading) return s->read_request();
    beast::error_code ignored;
    s->ws_.next_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    s->ws_.next_layer().close();
    s->finish();
  });
}

void ws_session::hold() {
  // Never answer; drain whatever the peer sends until it leaves or hold_timeout passes.
  phase_ = phase::held;
  ws_.next_layer().expires_after(limits_.hold_timeout);
  buffer_.clear();
  drain_held();
}

void ws_session::drain_held() {
  ws_.next_layer().async_read_some(buffer_.prepare(1024), [s = self()](beast::error_code ec, std::size_t) {
    if (ec || s->phase_ != phase::held) {
      s->ws_.next_layer().close();
      s->finish();
      return;
    }
    s->drain_held();
  });
}

void ws_session::read_next() {
  ws_.async_read(buffer_, [s = self()](beast::error_code ec, std::size_t) {
    if (ec) {
      s->finish();
      return;
    }
    if (s->phase_ == phase::open) {
      auto data = s->buffer_.cdata();
      s->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()), s->ws_.got_text());
    }
    s->buffer_.consume(s->buffer_.size());
    // Once a close is queued, async_close reads the peer's answer itself. A read started now
    // would hold Beast's read side while the close waits for it and the peer's crossing close
    // frame waits for the close: both then sat until the 10 s handshake timeout.
    if (s->phase_ != phase::open) return;
    s->read_next();
  });
}

void ws_session::send(std::string payload, bool text) {
  send(std::make_shared<const std::string>(std::move(payload)), text);
}

void ws_session::send(std::shared_ptr<const std::string> payload, bool text) {
  if (phase_ != phase::open) return;
  if (queued_bytes_ + payload->size() > limits_.max_queued_bytes) {
    reset();  // the peer does not read: drop it rather than grow without bound
    return;
  }
  queued_bytes_ += payload->size();
  queue_.push_back(outgoing{std::move(payload), text, 0, {}});
  write_next();
}

void ws_session::close(std::uint16_t code, std::string reason) {
  if (phase_ != phase::open) return;
  phase_ = phase::close_queued;
  queue_.push_back(outgoing{nullptr, true, code, std::move(reason)});
  write_next();
}

void ws_session::reset() {
  if (phase_ == phase::done) return;
  phase_ = phase::done;
  queue_.clear();
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(ws_).socket();
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  beast::get_lowest_layer(ws_).close();
}

void ws_session::ping() {
  if (phase_ != phase::open || pinging_) return;
  pinging_ = true;
  ws_.async_ping({}, [s = self()](beast::error_code) {
    s->pinging_ = false;
    s->write_next();  // a close may be waiting for the ping to finish
  });
}

void ws_session::write_next() {
  if (writing_ || queue_.empty() || finished_) return;
  if (!queue_.front().payload) {
    if (pinging_) return;  // Beast allows no close while a ping is in flight
    writing_ = true;
    websocket::close_reason reason(static_cast<websocket::close_code>(queue_.front().close_code),
                                   queue_.front().close_reason);
    queue_.clear();
    ws_.async_close(reason, [s = self()](beast::error_code ec) {
      s->writing_ = false;
      if (ec) beast::get_lowest_layer(s->ws_).close();
      // A read still pending when the close began ends too and calls finish() as well.
      s->finish();
    });
    return;
  }
  outgoing item = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= item.payload->size();
  writing_ = true;
  ws_.text(item.text);
  ws_.async_write(asio::buffer(*item.payload),
                  [s = self(), keep = item.payload](beast::error_code ec, std::size_t) {
                    s->writing_ = false;
                    if (ec) {
                      beast::get_lowest_layer(s->ws_).close();
                      return;
                    }
                    s->write_next();
                  });
}

void ws_session::shutdown() {
  switch (phase_) {
    case phase::upgrading:
      // The 101 may already be with the client, which then expects a close frame, not a
      // bare end of TCP: the session closes 1001 as soon as its upgrade completes.
      if (accepting_) {
        shutdown_pending_ = true;
        break;
      }
      [[fallthrough]];
    case phase::held:
      phase_ = phase::done;
      ws_.next_layer().close();
      break;
    case phase::open:
      queue_.clear();
      queued_bytes_ = 0;
      close(1001, "server shutting down");
      break;
    case phase::close_queued:
    case phase::done:
      break;
  }
}

void ws_session::finish() {
  if (finished_) return;
  finished_ = true;
  phase_ = phase::done;
  queue_.clear();
  queued_bytes_ = 0;
  on_closed();
}

}  // namespace drover::fakes
