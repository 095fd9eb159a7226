// Opening and ending a connection: connect (resolve, TCP, TLS), the HTTP upgrade, finish()
// and abort().
#include "harness/transport/connection_impl.hpp"

#include <atomic>

#include "harness/transport/error_mapping.hpp"

namespace drover::transport {

namespace {
std::atomic<std::size_t> live_count{0};
}  // namespace

std::size_t live_connections() { return live_count.load(std::memory_order_relaxed); }

std::shared_ptr<ws_connection> ws_connection::create(boost::asio::io_context& io, boost::asio::ssl::context* tls,
                                                     metrics::recorder* rec) {
  return std::make_shared<detail::connection_impl>(io, tls, rec);
}

namespace detail {

connection_impl::connection_impl(boost::asio::io_context& io, boost::asio::ssl::context* tls, metrics::recorder* rec)
    : io_(io),
      tls_(tls),
      metrics_(rec),
      phase_timer_(io),
      write_timer_(io),
      close_timer_(io),
      recv_timer_(io) {
  live_count.fetch_add(1, std::memory_order_relaxed);
}

connection_impl::~connection_impl() { live_count.fetch_sub(1, std::memory_order_relaxed); }

std::string connection_impl::where() const {
  bool ipv6 = url_.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + url_.host + "]" : url_.host) + ":" + url_.port;
}

error_info connection_impl::not_open(const char* operation) const {
  if (state_ == state::idle || state_ == state::connecting)
    return {error_kind::usage, std::string(operation) + " before the connection is open"};
  if (state_ == state::closing) return {error_kind::closed, std::string(operation) + " after close was requested"};
  return {error_kind::closed, std::string(operation) + " on a connection that has ended: " + end_error_.message};
}

void connection_impl::async_connect(const ws_url& url, const connect_options& options,
                                    std::function<void(const connect_result&)> done) {
  if (state_ != state::idle) {
    connect_result r;
    r.error = {error_kind::usage, "async_connect may be called only once per connection"};
    metrics_.error(r.error);
    deliver(std::move(done), r);
    return;
  }
  state_ = state::connecting;
  url_ = url;
  options_ = options;
  connect_done_ = std::move(done);
  result_ = {};
  result_.started = clock::now();
  // Started from the io_context so that even an immediate failure completes asynchronously.
  boost::asio::post(io_, [self = this->self()] {
    self->start_connect();
  });
}

void connection_impl::start_connect() {
  if (state_ != state::connecting) return;  // aborted meanwhile
  if (url_.secure && !tls_) return fail({error_kind::usage, "wss:// needs a TLS context (make_tls_context)"});
  stream_ = url_.secure ? make_tls_stream(io_, *tls_) : make_plain_stream(io_);
  stream_->set_read_limit(options_.max_message);
  // Runs inside Beast's read operation, which keeps this connection alive.
  stream_->set_control_callback([this](control_frame kind, std::string_view payload) { on_control(kind, payload); });
  auto self = this->self();
  phase_timed_out_ = false;
  phase_timer_.arm(options_.connect_timeout, [self] {
    self->phase_timed_out_ = true;
    self->stream_->close_now();
  });
  std::optional<boost::asio::ip::address> source;
  if (options_.source_ips) source = options_.source_ips->next();
  stream_->async_connect(url_, source, [self](error_code ec, connect_stage stage, std::string detail) {
    self->on_connected(ec, stage, detail);
  });
}

void connection_impl::on_connected(error_code ec, connect_stage stage, const std::string& detail) {
  if (state_ != state::connecting) return;
  phase_timer_.disarm();
  if (phase_timed_out_) {
    std::string step = stage == connect_stage::resolve ? "resolving the host of " + where()
                       : stage == connect_stage::tcp   ? "the TCP connection to " + where()
                                                       : "the TLS handshake with " + where();
    return fail({error_kind::connect_timeout, step + " did not finish within " + ms_text(options_.connect_timeout)});
  }
  if (ec) return fail(connect_error(ec, stage, detail, where()));
  result_.tcp_connected = upgrade_started_ = clock::now();
  auto self = this->self();
  phase_timer_.arm(options_.handshake_timeout, [self] {
    self->phase_timed_out_ = true;
    self->stream_->close_now();
  });
  stream_->async_upgrade(url_, options_,
                         [self](error_code ec, upgrade_response r) { self->on_upgraded(ec, std::move(r)); });
}

void connection_impl::on_upgraded(error_code ec, upgrade_response response) {
  if (state_ != state::connecting) return;
  phase_timer_.disarm();
  result_.http_status = response.status;
  result_.response_headers = std::move(response.headers);
  result_.response_body = std::move(response.body);
  result_.subprotocol = std::move(response.subprotocol);
  if (phase_timed_out_)
    return fail({error_kind::handshake_timeout,
                 "no WebSocket upgrade answer from " + where() + " within " + ms_text(options_.handshake_timeout)});
  if (ec) return fail(upgrade_error(ec, {response.status, response.reason, {}, {}, {}}, where()));
  result_.open = clock::now();
  state_ = state::open;
  metrics_.opened(result_.open - result_.started, result_.open - upgrade_started_);
  read_next();
  deliver(std::exchange(connect_done_, nullptr), result_);
  // The handler got its own copy; the session keeps only the times it needs later.
  result_.response_headers = {};
  result_.response_body = {};
}

void connection_impl::fail(const error_info& err, std::uint16_t code) {
  metrics_.error(err);
  finish(err, code, {}, false);
}

void connection_impl::abort() {
  finish({error_kind::cancelled, "the connection was aborted"}, 1006, {}, false);
}

void connection_impl::finish(const error_info& why, std::uint16_t code, std::string reason, bool server_initiated) {
  if (state_ == state::ended) return;
  bool was_open = state_ == state::open || state_ == state::closing;
  bool aborted = why.kind == error_kind::cancelled;
  state_ = state::ended;
  close_ = {true, server_initiated, code, std::move(reason), clock::now()};
  if (why) {
    end_error_ = why;
  } else {
    std::string what = server_initiated ? "the server closed the connection" : "the connection is closed";
    end_error_ = {error_kind::closed, what + " (" + std::to_string(code) +
                                          (close_.reason.empty() ? "" : " " + close_.reason) + ")"};
  }
  if (was_open) metrics_.ended(close_.at - result_.open, code, !aborted);
  phase_timer_.disarm();
  write_timer_.disarm();
  close_timer_.disarm();
  recv_timer_.disarm();
  if (stream_) stream_->close_now();

  if (connect_done_) {
    result_.error = end_error_;
    deliver(std::exchange(connect_done_, nullptr), result_);
  }
  error_info unsent = aborted ? why
                              : error_info{error_kind::closed,
                                           "the connection ended before the message was sent: " + end_error_.message};
  if (writing_ && current_.what == write_item::kind::data) deliver(std::move(current_.done), why ? why : unsent, clock::time_point{});
  writing_ = false;
  for (auto& item : queue_)
    if (item.what == write_item::kind::data) deliver(std::move(item.done), unsent, clock::time_point{});
  queue_.clear();
  if (recv_done_) deliver(std::exchange(recv_done_, nullptr), end_error_, message{});
  error_info no_pong = aborted ? why
                               : error_info{error_kind::closed,
                                            "the connection ended before the pong arrived: " + end_error_.message};
  for (auto& p : pings_) deliver(std::move(p.done), no_pong, clock::duration{});
  pings_.clear();
  for (auto& done : close_waiters_) deliver(std::move(done), why);
  close_waiters_.clear();
  for (auto& w : closed_waiters_) deliver(std::move(w.done), aborted ? why : error_info{}, close_);
  closed_waiters_.clear();
}

}  // namespace detail
}  // namespace drover::transport
