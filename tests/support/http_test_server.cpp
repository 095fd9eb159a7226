// Synchronous Beast with a thread per connection, as ws_test_server: cheap to compile and
// plenty for a handful of test connections. Stopping shuts the sockets down (a plain syscall,
// safe from another thread) so that blocked calls return.
#include "tests/support/http_test_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <strings.h>
#include <thread>
#include <type_traits>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

namespace drover::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using net::ip::tcp;

std::string http_seen::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  return {};
}

namespace {
http_answer echo_as_json(const http_seen& seen) {
  boost::json::object o{{"method", seen.method}, {"target", seen.target}, {"body", seen.body},
                        {"cookie", seen.header("cookie")}};
  http_answer a;
  a.headers = {{"Content-Type", "application/json"}};
  a.body = boost::json::serialize(o);
  return a;
}
}  // namespace

struct http_test_server::impl {
  net::io_context io;  // only as the sockets' executor: every call here is synchronous
  http_server_options options;
  std::unique_ptr<net::ssl::context> tls;
  tcp::acceptor acceptor{io};
  std::thread accept_thread;

  mutable std::mutex mutex;
  bool stopping = false;
  std::vector<std::thread> sessions;
  std::vector<int> live_sockets;
  std::size_t connections = 0;
  std::vector<http_seen> seen;

  void accept_loop() {
    for (;;) {
      tcp::socket socket(io);
      boost::system::error_code ec;
      acceptor.accept(socket, ec);
      std::lock_guard lock(mutex);
      if (stopping) return;
      if (ec) continue;
      std::size_t number = ++connections;
      live_sockets.push_back(socket.native_handle());
      sessions.emplace_back([this, number, s = std::move(socket)]() mutable { session(std::move(s), number); });
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      for (int fd : live_sockets) ::shutdown(fd, SHUT_RDWR);
    }
    ::shutdown(acceptor.native_handle(), SHUT_RDWR);
    boost::system::error_code ignored;
    tcp::socket waker(io);
    waker.connect(acceptor.local_endpoint(ignored), ignored);
    accept_thread.join();
    for (auto& t : sessions) t.join();
  }

  bool is_stopping() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  void forget_socket(int fd) {
    std::lock_guard lock(mutex);
    live_sockets.erase(std::remove(live_sockets.begin(), live_sockets.end(), fd), live_sockets.end());
  }

  void session(tcp::socket socket, std::size_t number) {
    try {
      if (tls) {
        beast::ssl_stream<tcp::socket> stream(std::move(socket), *tls);
        serve(stream, number);
      } else {
        serve(socket, number);
      }
    } catch (const std::exception&) {
      // The client went away or the test ended: nothing to report.
    }
  }

  template <class Stream>
  void serve(Stream& stream, std::size_t number) {
    // Destroyed before the stream, which closes the socket: stop() never shuts down a reused fd.
    struct forget {
      impl* self;
      int fd;
      ~forget() { self->forget_socket(fd); }
    } guard{this, beast::get_lowest_layer(stream).native_handle()};
    if constexpr (!std::is_same_v<Stream, tcp::socket>) stream.handshake(net::ssl::stream_base::server);
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      http::read(stream, buffer, req);
      http_seen s{std::string(req.method_string()), std::string(req.target()), {}, req.body(), number};
      for (const auto& field : req) s.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      {
        std::lock_guard lock(mutex);
        seen.push_back(s);
      }
      http_answer answer = options.handler ? options.handler(s) : echo_as_json(s);
      for (int waited = 0; waited < answer.delay_ms && !is_stopping(); waited += 5)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (answer.drop) return;
      http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
      for (const auto& [name, value] : answer.headers) res.insert(name, value);
      res.body() = std::move(answer.body);
      res.keep_alive(req.keep_alive() && !answer.close);
      res.prepare_payload();
      if (req.method() == http::verb::head) {  // the length of the body it would have, and no body
        auto length = res.body().size();
        res.body().clear();
        res.content_length(length);
      }
      http::write(stream, res);
      if (!res.keep_alive() || answer.hang_up) return;
    }
  }
};

http_test_server::http_test_server(http_server_options options) : impl_(std::make_unique<impl>()) {
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

http_test_server::~http_test_server() { impl_->stop(); }

std::uint16_t http_test_server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string http_test_server::url(std::string_view target, std::string_view host) const {
  return std::string(impl_->tls ? "https://" : "http://") + std::string(host) + ":" + std::to_string(port()) +
         std::string(target);
}

std::size_t http_test_server::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

std::vector<http_seen> http_test_server::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

std::optional<http_seen> http_test_server::last_request() const {
  std::lock_guard lock(impl_->mutex);
  if (impl_->seen.empty()) return std::nullopt;
  return impl_->seen.back();
}

}  // namespace drover::test
