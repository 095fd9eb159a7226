#pragma once
// Internal: the ws_connection behind create(). State machine, write queue, inbox, timers,
// metrics and user callbacks; Beast itself is driven through ws_stream.
//
// Rules kept throughout: user callbacks are always posted (never run inside the initiating
// call, nor inside Beast's control callback); each callback is moved out of its slot before it
// is posted, so it runs at most once; finish() is the one way a connection ends.
#include <cstdint>
#include <list>
#include <memory>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/container/deque.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/transport/connection_metrics.hpp"
#include "harness/transport/ws_connection.hpp"
#include "harness/transport/ws_stream.hpp"

namespace drover::transport::detail {

// A one-shot timer that may be re-armed or dropped at any time: a stale or cancelled expiry
// never runs on_expire. The timer state is shared with the pending wait, so destroying a
// deadline (e.g. with the ping it belongs to) is safe.
class deadline {
 public:
  explicit deadline(boost::asio::io_context& io) : s_(std::make_shared<state>(io)) {}
  deadline(deadline&&) = default;
  deadline& operator=(deadline&&) = default;
  ~deadline() { disarm(); }

  // timeout <= 0: never expires. on_expire must keep its owner alive (capture shared_from_this).
  template <class F>
  void arm(std::chrono::milliseconds timeout, F on_expire) {
    disarm();
    if (timeout.count() <= 0) return;
    s_->timer.expires_after(timeout);
    s_->timer.async_wait([s = s_, gen = s_->generation, f = std::move(on_expire)](error_code ec) mutable {
      if (ec || gen != s->generation) return;
      f();
    });
  }
  void disarm() {
    if (!s_) return;
    ++s_->generation;
    s_->timer.cancel();
  }

 private:
  struct state {
    explicit state(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::uint64_t generation = 0;
  };
  std::shared_ptr<state> s_;
};

class connection_impl final : public ws_connection {
 public:
  connection_impl(boost::asio::io_context& io, boost::asio::ssl::context* tls, metrics::recorder* rec);
  ~connection_impl() override;

  void async_connect(const ws_url& url, const connect_options& options,
                     std::function<void(const connect_result&)> done) override;
  void async_send(std::string payload, bool binary,
                  std::function<void(const error_info&, clock::time_point)> done) override;
  void async_recv(std::chrono::milliseconds timeout, std::function<void(const error_info&, message)> done) override;
  void async_ping(std::chrono::milliseconds timeout,
                  std::function<void(const error_info&, clock::duration)> done) override;
  void async_close(std::uint16_t code, std::string reason, std::chrono::milliseconds timeout,
                   std::function<void(const error_info&)> done) override;
  void async_wait_closed(std::chrono::milliseconds timeout,
                         std::function<void(const error_info&, const close_info&)> done) override;
  void abort() override;
  void set_observer(message_observer observer) override { observer_ = std::move(observer); }
  bool is_open() const override { return state_ == state::open; }
  const close_info& close_state() const override { return close_; }
  const std::vector<clock::time_point>& server_pings() const override { return server_pings_; }
  std::size_t inbox_size() const override { return inbox_.size(); }

 private:
  enum class state { idle, connecting, open, closing, ended };
  using send_done = std::function<void(const error_info&, clock::time_point)>;
  using ping_done = std::function<void(const error_info&, clock::duration)>;
  using closed_done = std::function<void(const error_info&, const close_info&)>;

  struct write_item {
    enum class kind { data, ping, close } what = kind::data;
    std::string payload;  // message payload, or close reason
    bool binary = false;
    std::uint16_t code = 0;
    std::uint64_t ping_id = 0;
    send_done done;
  };
  struct pending_ping {
    std::uint64_t id = 0;
    std::string payload;
    clock::time_point sent_at{};
    bool sent = false;
    ping_done done;
    deadline timer;
  };
  struct closed_waiter {
    std::uint64_t id = 0;
    closed_done done;
    deadline timer;
  };

  // connection_open.cpp
  void start_connect();
  void on_connected(error_code ec, connect_stage stage, const std::string& detail);
  void on_upgraded(error_code ec, upgrade_response response);
  void fail(const error_info& err, std::uint16_t code = 1006);
  void finish(const error_info& why, std::uint16_t code, std::string reason, bool server_initiated);
  error_info not_open(const char* operation) const;
  std::string where() const;

  // connection_io.cpp
  void read_next();
  void on_read(error_code ec, std::string payload, bool binary);
  void on_read_error(error_code ec);
  void on_control(control_frame kind, std::string_view payload);
  void enqueue(write_item item);
  void write_next();
  void start_write(write_item item);  // Beast takes it now: nothing is being written
  void on_written(error_code ec);
  void on_close_done(error_code ec);
  void fail_ping(std::uint64_t id, const error_info& err);

  std::shared_ptr<connection_impl> self() { return std::static_pointer_cast<connection_impl>(shared_from_this()); }

  // Posts fn(args...) to the io_context; an empty fn is skipped.
  template <class Fn, class... Args>
  void deliver(Fn fn, Args... args) {
    if (!fn) return;
    boost::asio::post(io_, [fn = std::move(fn), ... args = std::move(args)]() mutable { fn(std::move(args)...); });
  }

  boost::asio::io_context& io_;
  boost::asio::ssl::context* tls_;
  connection_metrics metrics_;
  std::unique_ptr<ws_stream> stream_;
  state state_ = state::idle;
  ws_url url_;
  connect_options options_;

  connect_result result_;
  std::function<void(const connect_result&)> connect_done_;
  clock::time_point upgrade_started_{};
  deadline phase_timer_;  // connect, then upgrade
  bool phase_timed_out_ = false;

  // Boost's deque allocates on first use; std::deque allocates ~600 bytes at construction, each
  // (two per session: 22 MB at 19,000 sessions).
  boost::container::deque<write_item> queue_;
  write_item current_;  // handed to Beast while writing_
  bool writing_ = false;
  clock::time_point current_sent_at_{};
  deadline write_timer_;

  bool close_sent_ = false;       // our close frame was handed to Beast
  bool close_in_flight_ = false;  // Beast's async_close has not completed
  std::vector<std::function<void(const error_info&)>> close_waiters_;
  deadline close_timer_;

  boost::container::deque<message> inbox_;
  std::function<void(const error_info&, message)> recv_done_;
  deadline recv_timer_;

  std::list<pending_ping> pings_;
  std::list<closed_waiter> closed_waiters_;
  std::uint64_t next_id_ = 0;

  message_observer observer_;
  close_info close_;
  error_info end_error_;  // what recv reports once the inbox is empty after the end
  std::vector<clock::time_point> server_pings_;
};

}  // namespace drover::transport::detail
