#include "fakes/common/server.hpp"

#include <sys/resource.h>

#include <boost/asio/post.hpp>

#include "harness/common/error.hpp"

namespace drover::fakes {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

session_base::session_base(worker& w) : worker_(w) {
  worker_.sessions.insert(this);
  worker_.live.fetch_add(1, std::memory_order_relaxed);
}

session_base::~session_base() {
  worker_.sessions.erase(this);
  worker_.live.fetch_sub(1, std::memory_order_relaxed);
}

void raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

fake_server::fake_server(const listen_options& options, session_starter starter)
    : starter_(std::move(starter)), host_(options.host) {
  raise_open_file_limit();
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) workers_.push_back(std::make_unique<worker>());

  auto& ioc = workers_.front()->ioc;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw usage_error("--host '" + options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, options.port);
  acceptor_.emplace(ioc);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw usage_error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                      ec.message());
  }
  port_ = acceptor_->local_endpoint().port();
  retry_timer_.emplace(ioc);
  accept_next();
  for (auto& w : workers_) {
    w->guard.emplace(w->ioc.get_executor());
    w->thread = std::thread([wp = w.get()] {
      for (;;) {
        try {
          wp->ioc.run();
          return;
        } catch (...) {
          // A handler threw: keep serving the other connections rather than crash.
        }
      }
    });
  }
}

fake_server::~fake_server() { stop(); }

std::string fake_server::listening_line() const {
  bool v6 = host_.find(':') != std::string::npos;
  return "listening on " + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

std::size_t fake_server::live_sessions() const {
  std::size_t n = 0;
  for (const auto& w : workers_) n += w->live.load(std::memory_order_relaxed);
  return n;
}

void fake_server::accept_next() {
  worker& target = *workers_[next_worker_];
  next_worker_ = (next_worker_ + 1) % workers_.size();
  acceptor_->async_accept(target.ioc, [this, &target](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning, keep the others served.
      retry_timer_->expires_after(std::chrono::milliseconds(50));
      retry_timer_->async_wait([this](boost::system::error_code wec) {
        if (!wec && acceptor_->is_open()) accept_next();
      });
      return;
    }
    boost::system::error_code nd;
    socket.set_option(tcp::no_delay(true), nd);
    asio::post(target.ioc, [this, &target, s = std::move(socket)]() mutable { starter_(std::move(s), target); });
    accept_next();
  });
}

void fake_server::stop() {
  if (stopped_.exchange(true)) return;
  asio::post(workers_.front()->ioc, [this] {
    boost::system::error_code ec;
    acceptor_->close(ec);
    retry_timer_->cancel();
  });
  for (auto& w : workers_) {
    asio::post(w->ioc, [wp = w.get()] {
      std::vector<session_base*> all(wp->sessions.begin(), wp->sessions.end());
      for (auto* s : all) {
        if (wp->sessions.count(s)) s->shutdown();
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (live_sessions() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& w : workers_) {
    w->guard.reset();
    w->ioc.stop();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

}  // namespace drover::fakes
