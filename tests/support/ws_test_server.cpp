// Synchronous Beast with a thread per connection: far cheaper to compile than asynchronous
// operations or coroutines, and plenty for a handful of test connections. Stopping shuts the
// sockets down (a plain syscall, safe from another thread) so that blocked calls return.
#include "tests/support/ws_test_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <strings.h>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace drover::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using net::ip::tcp;

std::string seen_request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return {};
}

struct ws_test_server::impl {
  net::io_context io;  // only as the sockets' executor: every call here is synchronous
  ws_server_options options;
  std::unique_ptr<net::ssl::context> tls;
  tcp::acceptor acceptor{io};
  std::thread accept_thread;

  mutable std::mutex mutex;
  std::condition_variable stopped;
  bool stopping = false;
  std::vector<std::thread> sessions;
  std::vector<int> live_sockets;  // registered while their session owns them (for shutdown)
  std::optional<seen_request> last_request;
  std::size_t connections = 0;
  std::size_t messages = 0;
  std::size_t pongs = 0;
  std::optional<std::pair<std::uint16_t, std::string>> client_close;

  void accept_loop() {
    for (;;) {
      tcp::socket socket(io);
      boost::system::error_code ec;
      acceptor.accept(socket, ec);
      std::lock_guard lock(mutex);
      if (stopping) return;
      if (ec) continue;
      ++connections;
      live_sockets.push_back(socket.native_handle());
      sessions.emplace_back([this, s = std::move(socket)]() mutable { session(std::move(s)); });
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      for (int fd : live_sockets) ::shutdown(fd, SHUT_RDWR);
    }
    // Wake accept(): shutdown does it on Linux; a connection does it anywhere.
    ::shutdown(acceptor.native_handle(), SHUT_RDWR);
    boost::system::error_code ignored;
    tcp::socket waker(io);
    waker.connect(acceptor.local_endpoint(ignored), ignored);
    stopped.notify_all();
    accept_thread.join();
    for (auto& t : sessions) t.join();
  }

  void session(tcp::socket socket) {
    try {
      if (tls) {
        websocket::stream<beast::ssl_stream<tcp::socket>> ws(std::move(socket), *tls);
        ws.next_layer().handshake(net::ssl::stream_base::server);
        serve(ws);
      } else {
        websocket::stream<tcp::socket> ws(std::move(socket));
        serve(ws);
      }
    } catch (const std::exception&) {
      // The client went away or the test ended: nothing to report.
    }
  }

  // Called before a session's socket closes, so stop() never shuts down a reused descriptor.
  void forget_socket(int fd) {
    std::lock_guard lock(mutex);
    live_sockets.erase(std::remove(live_sockets.begin(), live_sockets.end(), fd), live_sockets.end());
  }

  std::string choose_subprotocol(std::string_view offer) const {
    for (const auto& item : http::token_list(offer))
      for (const auto& mine : options.subprotocols)
        if (beast::iequals(item, mine)) return mine;
    return {};
  }

  void record(const http::request<http::string_body>& req) {
    seen_request seen;
    seen.target = std::string(req.target());
    for (const auto& field : req) seen.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    std::lock_guard lock(mutex);
    last_request = std::move(seen);
  }

  void wait_for_stop() {
    std::unique_lock lock(mutex);
    stopped.wait(lock, [&] { return stopping; });
  }

  template <class Stream>
  void serve(Stream& ws) {
    // Destroyed before ws, which closes the socket.
    struct forget {
      impl* self;
      int fd;
      ~forget() { self->forget_socket(fd); }
    } guard{this, beast::get_lowest_layer(ws).native_handle()};
    if (options.mode == server_mode::no_handshake) {
      char sink[1024];
      for (;;) beast::get_lowest_layer(ws).read_some(net::buffer(sink));
    }
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(ws.next_layer(), buffer, req);
    record(req);
    if (options.mode == server_mode::reject_401) {
      http::response<http::string_body> res{http::status::unauthorized, 11};
      res.set(http::field::content_type, "text/plain");
      res.keep_alive(false);
      res.body() = "bad token";
      res.prepare_payload();
      http::write(ws.next_layer(), res);
      return;
    }
    if (options.mode == server_mode::junk) {
      net::write(ws.next_layer(), net::buffer(std::string_view("this is not HTTP at all\r\n\r\n")));
      return;
    }
    std::string chosen = choose_subprotocol(req[http::field::sec_websocket_protocol]);
    ws.set_option(websocket::stream_base::decorator([chosen](websocket::response_type& res) {
      if (!chosen.empty()) res.set(http::field::sec_websocket_protocol, chosen);
    }));
    ws.control_callback([this, &ws](websocket::frame_type kind, beast::string_view payload) {
      std::lock_guard lock(mutex);
      if (kind == websocket::frame_type::pong) ++pongs;
      if (kind == websocket::frame_type::close)
        client_close.emplace(static_cast<std::uint16_t>(ws.reason().code), std::string(payload));
    });
    ws.accept(req);
    after_open(ws);
  }

  template <class Stream>
  void after_open(Stream& ws) {
    switch (options.mode) {
      case server_mode::reset_after_open: {
        auto& raw = beast::get_lowest_layer(ws);
        forget_socket(raw.native_handle());
        raw.set_option(net::socket_base::linger(true, 0));
        raw.close();
        return;
      }
      case server_mode::silent_after_open:
        return wait_for_stop();
      case server_mode::send_big:
        ws.binary(true);
        ws.write(net::buffer(std::string(options.big_size, 'x')));
        break;
      case server_mode::ping_client:
        for (int i = 0; i < options.pings; ++i) {
          std::string payload = "p" + std::to_string(i);
          ws.ping(websocket::ping_data(payload.data(), payload.size()));
        }
        break;
      default:
        break;
    }
    if (options.mode == server_mode::close_after && options.close_after_messages == 0) return close(ws);
    beast::flat_buffer buffer;
    for (std::size_t count = 1;; ++count) {
      buffer.clear();
      ws.read(buffer);
      {
        std::lock_guard lock(mutex);
        ++messages;
      }
      ws.text(ws.got_text());
      ws.write(buffer.data());
      if (options.mode == server_mode::close_after && count >= options.close_after_messages) return close(ws);
    }
  }

  template <class Stream>
  void close(Stream& ws) {
    websocket::close_reason reason;
    reason.code = options.close_code;
    reason.reason = options.close_reason;
    ws.close(reason);
    std::lock_guard lock(mutex);
    const auto& theirs = ws.reason();
    client_close.emplace(static_cast<std::uint16_t>(theirs.code), std::string(theirs.reason.data(), theirs.reason.size()));
  }
};

ws_test_server::ws_test_server(ws_server_options options) : impl_(std::make_unique<impl>()) {
  impl_->options = std::move(options);
  if (!impl_->options.cert_file.empty()) {
    impl_->tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(impl_->options.cert_file);
    impl_->tls->use_private_key_file(impl_->options.key_file, net::ssl::context::pem);
  }
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
}

ws_test_server::~ws_test_server() { impl_->stop(); }

std::uint16_t ws_test_server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string ws_test_server::url(std::string_view target, std::string_view host) const {
  return std::string(impl_->tls ? "wss://" : "ws://") + std::string(host) + ":" + std::to_string(port()) +
         std::string(target);
}

std::optional<seen_request> ws_test_server::last_request() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_request;
}

std::size_t ws_test_server::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

std::size_t ws_test_server::messages_received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->messages;
}

std::size_t ws_test_server::pongs_received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->pongs;
}

std::optional<std::pair<std::uint16_t, std::string>> ws_test_server::client_close() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->client_close;
}

bool ws_test_server::eventually(const std::function<bool()>& pred, int timeout_ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= until) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::uint16_t unused_port() {
  net::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace drover::test
