// The request state machine (connect or reuse, send, read head, read body), its timeouts, the
// per-client pool of idle connections and the built-in http_* metrics. Beast itself is driven
// through http_stream (http_stream.cpp).
#include "harness/transport/http_client.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <list>
#include <map>
#include <optional>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/error.hpp>

#include "harness/common/error.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/transport/error_mapping.hpp"
#include "harness/transport/http_stream.hpp"

namespace drover::transport {

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using detail::http_stage;
using detail::http_stream;
using error_code = boost::system::error_code;

std::atomic<std::size_t> live_count{0};

double ms(clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string where(const ws_url& url) {
  bool ipv6 = url.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + url.host + "]" : url.host) + ":" + url.port;
}

std::string pool_key(const ws_url& url) { return std::string(url.secure ? "https://" : "http://") + where(url); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_header(const http_request& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) { return iequals(h.first, name); });
}

std::string serialize(const http_request& r) {
  std::string out = r.method + " " + r.url.target + " HTTP/1.1\r\nHost: " + r.url.host_header() + "\r\n";
  if (!has_header(r, "user-agent")) out += "User-Agent: drover\r\n";
  if (!has_header(r, "accept")) out += "Accept: */*\r\n";
  for (const auto& [name, value] : r.headers) {
    // Framing is ours: a script's Content-Length or Transfer-Encoding could only desynchronise it.
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "host")) continue;
    out += name + ": " + value + "\r\n";
  }
  bool body_method = r.method == "POST" || r.method == "PUT" || r.method == "PATCH";
  if (!r.body.empty() || body_method) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

// One TCP (+TLS) connection; counted so that tests can prove every one is released.
struct connection {
  explicit connection(std::unique_ptr<http_stream> s) : stream(std::move(s)) {
    live_count.fetch_add(1, std::memory_order_relaxed);
  }
  ~connection() {
    stream->close_now();
    live_count.fetch_sub(1, std::memory_order_relaxed);
  }
  std::unique_ptr<http_stream> stream;
};

class exchange;

}  // namespace

struct http_client::pool {
  net::io_context& io;
  net::ssl::context* tls;
  metrics::recorder* rec;
  std::map<std::string, std::unique_ptr<connection>> idle;
  std::list<std::weak_ptr<exchange>> active;

  struct trends {
    metrics::trend_metric *duration, *connecting, *tls, *sending, *waiting, *receiving;
  };
  std::optional<trends> t;

  // A connection is released from a posted handler, never inside one of its own completions.
  void release(std::unique_ptr<connection> c) {
    if (c) net::post(io, [c = std::move(c)] {});
  }

  void put_idle(const std::string& key, std::unique_ptr<connection> c) {
    auto& slot = idle[key];
    release(std::exchange(slot, std::move(c)));  // one idle connection per origin: the newest
  }

  void record(const http_response& r) {
    if (!rec || r.error == http_error::cancelled) return;
    rec->add_counter("http_reqs");
    rec->add_rate("http_req_failed", r.error != http_error::none || r.status >= 400);
    if (r.error != http_error::none) {
      rec->add_error(std::string("http_") + to_string(r.error), r.message, false);
      return;
    }
    if (!t) {
      t = trends{&rec->trend("http_req_duration"), &rec->trend("http_req_connecting"),
                 &rec->trend("http_req_tls_handshaking"), &rec->trend("http_req_sending"),
                 &rec->trend("http_req_waiting"), &rec->trend("http_req_receiving")};
    }
    t->duration->add(r.timings.duration());
    t->connecting->add(r.timings.connecting);
    t->tls->add(r.timings.tls);
    t->sending->add(r.timings.sending);
    t->waiting->add(r.timings.waiting);
    t->receiving->add(r.timings.receiving);
  }
};

namespace {

class exchange : public std::enable_shared_from_this<exchange> {
 public:
  exchange(std::shared_ptr<http_client::pool> p, http_request req, std::function<void(http_response)> done)
      : pool_(std::move(p)), req_(std::move(req)), done_(std::move(done)), timer_(pool_->io) {}

  void start() {
    started_ = clock::now();
    key_ = pool_key(req_.url);
    text_ = serialize(req_);
    // Beyond ~30 years a timeout means none (and steady_clock arithmetic must not overflow).
    constexpr std::chrono::milliseconds longest{1'000'000'000'000LL};
    req_.timeout = std::min(req_.timeout, longest);
    req_.connect_timeout = std::min(req_.connect_timeout, longest);
    if (req_.timeout.count() > 0) total_deadline_ = started_ + req_.timeout;
    auto it = pool_->idle.find(key_);
    if (it != pool_->idle.end() && it->second) {
      conn_ = std::move(it->second);
      pool_->idle.erase(it);
      response_.reused = true;
      arm(total_deadline_, http_error::timeout);
      // Posted: the caller's callback must never run inside async_request.
      net::post(pool_->io, [self = shared_from_this()] { self->send(); });
      return;
    }
    net::post(pool_->io, [self = shared_from_this()] { self->connect(); });
  }

  void abort() {
    if (done()) return;
    aborted_ = true;
    if (conn_) conn_->stream->close_now();
    else fail(http_error::cancelled, "the request was cancelled");
  }

 private:
  bool done() const { return !done_; }

  // One timer for the phase that runs: the connect deadline, then the request's own.
  void arm(clock::time_point at, http_error kind) {
    ++generation_;
    timer_.cancel();
    if (at == clock::time_point::max()) return;
    timeout_kind_ = kind;
    timer_.expires_at(at);
    timer_.async_wait([self = shared_from_this(), gen = generation_](error_code ec) {
      if (ec || gen != self->generation_ || self->done()) return;
      self->timed_out_ = true;
      if (self->conn_) self->conn_->stream->close_now();
    });
  }

  void connect() {
    if (done()) return;
    if (req_.url.secure && !pool_->tls) return fail(http_error::other, "https:// needs a TLS context (make_tls_context)");
    conn_ = std::make_unique<connection>(detail::make_http_stream(pool_->io, req_.url.secure ? pool_->tls : nullptr));
    response_.reused = false;
    connect_started_ = clock::now();
    auto connect_deadline = req_.connect_timeout.count() > 0 ? connect_started_ + req_.connect_timeout
                                                             : clock::time_point::max();
    if (connect_deadline < total_deadline_) arm(connect_deadline, http_error::connect_timeout);
    else arm(total_deadline_, http_error::timeout);
    std::optional<boost::asio::ip::address> source;
    if (req_.source_ips) source = req_.source_ips->next();
    conn_->stream->async_connect(req_.url, source, [self = shared_from_this()](error_code ec, http_stage stage, std::string detail,
                                                                     clock::time_point tcp_done) {
      self->on_connected(ec, stage, detail, tcp_done);
    });
  }

  void on_connected(error_code ec, http_stage stage, const std::string& detail, clock::time_point tcp_done) {
    if (done()) return;
    if (timed_out_ || aborted_ || ec) {
      if (timed_out_ && timeout_kind_ == http_error::connect_timeout) {
        const char* step = stage == http_stage::resolve ? "resolving the host of "
                           : stage == http_stage::tcp   ? "the TCP connection to "
                                                        : "the TLS handshake with ";
        return fail(http_error::connect_timeout,
                    step + where(req_.url) + " did not finish within " + detail::ms_text(req_.connect_timeout));
      }
      if (timed_out_ || aborted_) return fail_interrupted();
      auto e = detail::connect_error(ec, stage == http_stage::resolve ? detail::connect_stage::resolve
                                         : stage == http_stage::tcp   ? detail::connect_stage::tcp
                                                                      : detail::connect_stage::tls,
                                     detail, where(req_.url));
      http_error kind = e.kind == error_kind::dns                  ? http_error::dns
                        : e.kind == error_kind::connection_refused ? http_error::connection_refused
                        : e.kind == error_kind::tls                ? http_error::tls
                                                                   : http_error::other;
      return fail(kind, e.message);
    }
    auto now = clock::now();
    response_.timings.connecting = ms(tcp_done - connect_started_);
    response_.timings.tls = req_.url.secure ? ms(now - tcp_done) : 0;
    arm(total_deadline_, http_error::timeout);
    send();
  }

  void send() {
    if (done()) return;
    send_started_ = clock::now();
    conn_->stream->async_write(text_, [self = shared_from_this()](error_code ec) { self->on_written(ec); });
  }

  void on_written(error_code ec) {
    if (done()) return;
    if (ec) return on_stream_error(ec, "sending the request to ");
    written_ = clock::now();
    response_.timings.sending = ms(written_ - send_started_);
    conn_->stream->async_read_head(req_.max_body, req_.method == "HEAD",
                                   [self = shared_from_this()](error_code ec, detail::http_head head) {
                                     self->on_head(ec, std::move(head));
                                   });
  }

  void on_head(error_code ec, detail::http_head head) {
    if (done()) return;
    if (ec) return on_stream_error(ec, "waiting for the answer of ");
    head_at_ = clock::now();
    response_.timings.waiting = ms(head_at_ - written_);
    response_.status = head.status;
    response_.reason = std::move(head.reason);
    response_.headers = std::move(head.headers);
    keep_alive_ = head.keep_alive;
    conn_->stream->async_read_body([self = shared_from_this()](error_code ec, std::string body) {
      self->on_body(ec, std::move(body));
    });
  }

  void on_body(error_code ec, std::string body) {
    if (done()) return;
    if (ec) return on_stream_error(ec, "reading the body from ");
    response_.timings.receiving = ms(clock::now() - head_at_);
    response_.body = std::move(body);
    complete();
  }

  void on_stream_error(error_code ec, const char* doing) {
    if (timed_out_ || aborted_) return fail_interrupted();
    std::string at = where(req_.url);
    if (ec == http::error::body_limit)
      return fail(http_error::body_too_big, "the response body from " + at + " exceeded max_body (" +
                                                std::to_string(req_.max_body) + " bytes)");
    bool nothing_received = head_at_ == clock::time_point{};
    if (detail::is_drop(ec) || ec == http::error::end_of_stream || ec == http::error::partial_message) {
      // A kept-alive connection the server has closed meanwhile: send once more on a fresh one,
      // as browsers do, since no byte of an answer was received.
      if (response_.reused && nothing_received && !retried_) {
        retried_ = true;
        pool_->release(std::move(conn_));
        return connect();
      }
      return fail(http_error::reset, at + " closed the connection before the response was complete (" + ec.message() + ")");
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category())
      return fail(http_error::protocol, "the answer from " + at + " is not valid HTTP: " + ec.message());
    return fail(http_error::other, doing + at + " failed: " + ec.message());
  }

  void fail_interrupted() {
    if (aborted_) return fail(http_error::cancelled, "the request was cancelled");
    std::string phase = head_at_ != clock::time_point{} ? "the body" : written_ != clock::time_point{} ? "an answer" : "the request";
    fail(http_error::timeout, "no complete response from " + where(req_.url) + " within " +
                                  detail::ms_text(req_.timeout) + " (timed out waiting for " + phase + ")");
  }

  void fail(http_error kind, std::string message) {
    response_.error = kind;
    response_.message = std::move(message);
    keep_alive_ = false;
    complete();
  }

  void complete() {
    ++generation_;
    timer_.cancel();
    if (response_.error == http_error::none && keep_alive_ && conn_) pool_->put_idle(key_, std::move(conn_));
    else pool_->release(std::move(conn_));
    pool_->record(response_);
    net::post(pool_->io, [done = std::exchange(done_, nullptr), r = std::move(response_)]() mutable { done(std::move(r)); });
  }

  std::shared_ptr<http_client::pool> pool_;
  http_request req_;
  std::function<void(http_response)> done_;
  net::steady_timer timer_;
  std::uint64_t generation_ = 0;
  http_error timeout_kind_ = http_error::timeout;
  bool timed_out_ = false;
  bool aborted_ = false;
  bool retried_ = false;
  bool keep_alive_ = false;
  std::string key_;
  std::string text_;
  std::unique_ptr<connection> conn_;
  http_response response_;
  clock::time_point started_{}, total_deadline_ = clock::time_point::max(), connect_started_{}, send_started_{},
      written_{}, head_at_{};
};

}  // namespace

http_client::http_client(net::io_context& io, net::ssl::context* tls, metrics::recorder* rec)
    : pool_(std::make_shared<pool>(pool{io, tls, rec, {}, {}, std::nullopt})) {}

http_client::~http_client() { abort(); }

void http_client::async_request(http_request request, std::function<void(http_response)> done) {
  auto problem = check_http_request(request);
  if (!problem.empty()) {
    http_response r;
    r.error = http_error::other;
    r.message = problem;
    net::post(pool_->io, [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
    return;
  }
  if (pool_->active.size() > 16) pool_->active.remove_if([](const auto& w) { return w.expired(); });
  auto x = std::make_shared<exchange>(pool_, std::move(request), std::move(done));
  pool_->active.push_back(x);
  x->start();
}

void http_client::close_idle() {
  for (auto& [key, c] : pool_->idle) pool_->release(std::move(c));
  pool_->idle.clear();
}

void http_client::abort() {
  close_idle();
  for (auto& w : pool_->active)
    if (auto x = w.lock()) x->abort();
  pool_->active.clear();
}

std::size_t http_client::idle_connections() const { return pool_->idle.size(); }

std::size_t live_http_connections() { return live_count.load(std::memory_order_relaxed); }

}  // namespace drover::transport
