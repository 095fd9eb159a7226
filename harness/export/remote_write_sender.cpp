#include "harness/export/remote_write_sender.hpp"

#include <algorithm>
#include <deque>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "harness/transport/http_client.hpp"

namespace drover::exporting {

namespace net = boost::asio;

namespace {

// A receiver's explanation (Prometheus says which sample it refused and why), kept short.
std::string body_excerpt(const std::string& body) {
  std::string text = body.substr(0, 200);
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The URL as messages show it: without its query, which may carry a credential.
std::string shown_url(const ws_url& url) {
  return std::string(url.secure ? "https://" : "http://") + url.host_header() + url.target.substr(0, url.target.find('?'));
}

}  // namespace

struct remote_write_sender::state {
  remote_write_options options;
  ws_url url;
  net::io_context io{1};
  net::executor_work_guard<net::io_context::executor_type> work{io.get_executor()};
  std::unique_ptr<net::ssl::context> tls;
  std::unique_ptr<transport::http_client> client;
  net::steady_timer backoff{io};

  // The sender's thread only.
  std::deque<std::string> waiting;
  std::string current;  // the body being sent (or waiting for its retry)
  bool busy = false;
  int attempt = 0;
  bool stopped = false;

  // Shared with the callers' threads.
  mutable std::mutex mutex;
  std::condition_variable idle_changed;
  std::size_t posted = 0;  // bodies enqueued but not yet taken in by add()
  bool idle = true;        // nothing posted, waiting or in flight
  remote_write_stats stats;

  void note_idle() {
    std::lock_guard lock(mutex);
    idle = posted == 0 && !busy && waiting.empty();
    if (idle) idle_changed.notify_all();
  }

  void add(std::string body) {
    {
      std::lock_guard lock(mutex);
      --posted;
    }
    if (stopped) return;
    waiting.push_back(std::move(body));
    if (waiting.size() > options.max_queued) {
      waiting.pop_front();
      std::lock_guard lock(mutex);
      ++stats.dropped;
    }
    start_next();
    note_idle();
  }

  void start_next() {
    if (busy || stopped || waiting.empty()) return;
    current = std::move(waiting.front());
    waiting.pop_front();
    busy = true;
    attempt = 1;
    send();
  }

  void send() {
    transport::http_request request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Content-Encoding", "snappy"},
                       {"Content-Type", "application/x-protobuf"},
                       {"X-Prometheus-Remote-Write-Version", "0.1.0"},
                       {"User-Agent", "drover"}};
    request.body = current;
    request.connect_timeout = options.timeout;
    request.timeout = options.timeout;
    request.max_body = 64 * 1024;
    client->async_request(std::move(request), [this](transport::http_response response) { on_response(response); });
  }

  void on_response(const transport::http_response& response) {
    const bool accepted = response && response.status >= 200 && response.status < 300;
    if (accepted) {
      {
        std::lock_guard lock(mutex);
        ++stats.sent;
      }
      finish_current();
      return;
    }
    std::string why = response ? "HTTP " + std::to_string(response.status) + " " + response.reason +
                                     (response.body.empty() ? "" : ": " + body_excerpt(response.body))
                               : response.message;
    const bool retryable = !response || response.status >= 500 || response.status == 429;
    if (stopped) why = "abandoned at the run's end (" + why + ")";
    if (retryable && !stopped && attempt < options.max_attempts) {
      backoff.expires_after(options.first_backoff * (1 << (attempt - 1)));
      ++attempt;
      backoff.async_wait([this](boost::system::error_code ec) {
        if (!ec && !stopped) send();
      });
      return;
    }
    {
      std::lock_guard lock(mutex);
      ++stats.failed;
      if (stats.first_error.empty()) stats.first_error = why;
    }
    finish_current();
  }

  void finish_current() {
    busy = false;
    current.clear();
    start_next();
    note_idle();
  }

  // At finish(): what is still waiting is dropped, a request in flight or in backoff ends.
  void stop() {
    stopped = true;
    {
      std::lock_guard lock(mutex);
      stats.dropped += waiting.size();
    }
    waiting.clear();
    if (backoff.cancel() > 0 && busy) {  // a body waiting for its retry: it will not be sent
      std::lock_guard lock(mutex);
      ++stats.failed;
      if (stats.first_error.empty()) stats.first_error = "abandoned at the run's end while waiting to retry";
      busy = false;
    }
    client->abort();  // a request in flight ends with cancelled: on_response counts it failed
    work.reset();
  }
};

remote_write_sender::remote_write_sender(remote_write_options options)
    : state_(std::make_shared<state>()) {
  state_->url = transport::parse_http_url(options.url);
  url_text_ = shown_url(state_->url);
  if (state_->url.secure) state_->tls = transport::make_tls_context(options.tls);
  state_->options = std::move(options);
  state_->options.max_queued = std::max<std::size_t>(state_->options.max_queued, 1);
  state_->options.max_attempts = std::max(state_->options.max_attempts, 1);
  state_->client = std::make_unique<transport::http_client>(state_->io, state_->tls.get(), nullptr);
  thread_ = std::thread([s = state_] { s->io.run(); });
}

remote_write_sender::~remote_write_sender() { finish(std::chrono::milliseconds(0)); }

void remote_write_sender::enqueue(std::string body) {
  std::lock_guard finish_lock(finish_mutex_);
  if (finished_) return;
  {
    std::lock_guard lock(state_->mutex);
    ++state_->stats.queued;
    ++state_->posted;
    state_->idle = false;
  }
  net::post(state_->io, [s = state_.get(), body = std::move(body)]() mutable { s->add(std::move(body)); });
}

remote_write_stats remote_write_sender::finish(std::chrono::milliseconds wait) {
  std::lock_guard finish_lock(finish_mutex_);
  if (!finished_) {
    finished_ = true;
    {
      std::unique_lock lock(state_->mutex);
      state_->idle_changed.wait_for(lock, wait, [&] { return state_->idle; });
    }
    net::post(state_->io, [s = state_.get()] { s->stop(); });
    thread_.join();
    // The client is destroyed here, after its thread ended: nothing of it runs any more.
    state_->client.reset();
  }
  return stats();
}

remote_write_stats remote_write_sender::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace drover::exporting
