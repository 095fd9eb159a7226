#pragma once
// The listener every fake runs on: N worker threads, each with its own io_context
// (concurrency hint 1), and one acceptor that hands accepted sockets to the workers
// round-robin. Sessions live on one worker for their whole life; cross-worker work is posted.
//
// Lifetime: start_server() binds, starts the threads and returns once listening. stop()
// (idempotent, any thread except a worker's) asks every session to close (WebSocket 1001
// "server shutting down"), waits up to 1.5 s for them to finish, then stops and joins the
// workers. The destructor calls stop().
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace drover::fakes {

class session_base;

struct listen_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;   // 0: the OS picks a free port
  unsigned threads = 0;     // 0: one per core
};

// One thread's share of the server. Touched only on its own thread, except `live`.
struct worker {
  // Declared before the io_context so that sessions destroyed with it can still unregister.
  std::unordered_set<session_base*> sessions;
  std::atomic<std::size_t> live{0};
  boost::asio::io_context ioc{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::thread thread;
};

// Called on the chosen worker's thread with a freshly accepted socket; creates and starts a session.
using session_starter = std::function<void(boost::asio::ip::tcp::socket, worker&)>;

// Something a running server can be asked to do at shutdown (any session kind).
class session_base {
 public:
  explicit session_base(worker& w);
  virtual ~session_base();
  session_base(const session_base&) = delete;
  session_base& operator=(const session_base&) = delete;
  // On the session's worker thread: close 1001 when open, else drop the connection.
  virtual void shutdown() = 0;

 protected:
  worker& worker_;
};

class fake_server {
 public:
  fake_server(const listen_options& options, session_starter starter);
  ~fake_server();
  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& host() const { return host_; }
  // "listening on HOST:PORT", the line fake_main prints.
  std::string listening_line() const;
  // Connections currently open (any phase), summed over workers.
  std::size_t live_sessions() const;
  void stop();

 private:
  void accept_next();

  session_starter starter_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::optional<boost::asio::steady_timer> retry_timer_;
  std::size_t next_worker_ = 0;
  std::string host_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopped_{false};
};

// Raises the soft RLIMIT_NOFILE to the hard limit (thousands of idle connections). Idempotent.
void raise_open_file_limit();

}  // namespace drover::fakes
