// An open connection: the read loop into the inbox, the write queue (data, ping and close
// frames one at a time, as Beast requires), recv with its own timer, pings, close.
#include <algorithm>

#include <boost/asio/error.hpp>

#include "harness/transport/connection_impl.hpp"
#include "harness/transport/error_mapping.hpp"

namespace drover::transport::detail {

void connection_impl::read_next() {
  stream_->async_read([self = self()](error_code ec, std::string payload, bool binary) {
    self->on_read(ec, std::move(payload), binary);
  });
}

void connection_impl::on_read(error_code ec, std::string payload, bool binary) {
  if (state_ == state::ended) return;
  if (ec) return on_read_error(ec);
  message m{std::move(payload), binary, clock::now()};
  metrics_.received(m.payload.size());
  if (observer_) observer_(direction::received, m.payload, m.binary);
  if (state_ == state::ended) return;  // the observer aborted
  if (recv_done_) {
    recv_timer_.disarm();
    deliver(std::exchange(recv_done_, nullptr), error_info{}, std::move(m));
  } else if (inbox_.size() >= options_.max_inbox) {
    metrics_.error({error_kind::inbox_overflow, "the inbox is full (" + std::to_string(options_.max_inbox) +
                                                    " unread messages): a message from " + where() + " was dropped"});
  } else {
    inbox_.push_back(std::move(m));
  }
  // Once our close frame is with Beast, its close operation reads the rest of the closing
  // handshake (and drops what comes before the server's close). A read started here could park
  // (control callback) holding the read side on a close answer already buffered, while the close
  // holds the write side waiting for the read side: both sat until the close timeout
  // (tests/unit/transport/ws_connection_close_race_test.cpp).
  if (close_in_flight_) return;
  read_next();
}

void connection_impl::on_read_error(error_code ec) {
  // While our close is in flight Beast hands the rest of the closing handshake to it.
  if (close_in_flight_ && (is_clean_close(ec) || ec == boost::asio::error::operation_aborted)) return;
  auto [code, reason] = stream_->peer_close();
  // A drop after the peer's close frame (e.g. a TLS peer skipping close_notify) is still a close.
  if (is_clean_close(ec) || (is_drop(ec) && code != 0))
    return finish({}, code != 0 ? code : 1005, std::move(reason), !close_sent_);
  error_info err = stream_error(ec, where(), options_.max_message);
  // Beast failed the connection with a close frame of its own in these two cases.
  std::uint16_t ours = err.kind == error_kind::message_too_big ? 1009 : err.kind == error_kind::protocol ? 1002 : 1006;
  fail(err, ours);
}

void connection_impl::on_control(control_frame kind, std::string_view payload) {
  if (state_ == state::ended) return;
  auto now = clock::now();
  if (kind == control_frame::ping) {
    // Bounded: a server flooding pings (10,000/s) must not grow a connection's memory.
    if (server_pings_.size() >= 2 * max_server_pings_kept)
      server_pings_.erase(server_pings_.begin(), server_pings_.begin() + max_server_pings_kept);
    server_pings_.push_back(now);
  } else if (kind == control_frame::pong) {
    // Match by payload; a server that does not echo it gets the oldest ping in flight.
    auto it = std::find_if(pings_.begin(), pings_.end(),
                           [&](const pending_ping& p) { return p.sent && p.payload == payload; });
    if (it == pings_.end())
      it = std::find_if(pings_.begin(), pings_.end(), [](const pending_ping& p) { return p.sent; });
    if (it == pings_.end()) return;  // unsolicited pong
    auto rtt = now - it->sent_at;
    metrics_.ping(rtt);
    deliver(std::move(it->done), error_info{}, rtt);
    pings_.erase(it);
  }
}

void connection_impl::async_send(std::string payload, bool binary,
                                 std::function<void(const error_info&, clock::time_point)> done) {
  if (state_ != state::open) {
    error_info err = not_open("send");
    metrics_.error(err);
    deliver(std::move(done), err, clock::time_point{});
    return;
  }
  write_item item;
  item.payload = std::move(payload);
  item.binary = binary;
  item.done = std::move(done);
  enqueue(std::move(item));
}

void connection_impl::enqueue(write_item item) {
  // Nothing being written (the usual case): straight to Beast. The queue, untouched, allocates
  // nothing (a session's memory matters at 19,000 sessions per process).
  if (!writing_ && queue_.empty() && state_ != state::ended) return start_write(std::move(item));
  queue_.push_back(std::move(item));
  write_next();
}

void connection_impl::write_next() {
  if (writing_ || queue_.empty() || state_ == state::ended) return;
  write_item item = std::move(queue_.front());
  queue_.pop_front();
  start_write(std::move(item));
}

void connection_impl::start_write(write_item item) {
  current_ = std::move(item);
  writing_ = true;
  auto self = this->self();
  switch (current_.what) {
    case write_item::kind::data:
      current_sent_at_ = clock::now();
      if (observer_) observer_(direction::sent, current_.payload, current_.binary);
      if (state_ == state::ended) return;  // the observer aborted
      write_timer_.arm(options_.write_timeout, [self] {
        self->fail({error_kind::write_timeout,
                    "writing to " + self->where() + " did not finish within " + ms_text(self->options_.write_timeout)});
      });
      stream_->async_write(current_.payload, current_.binary, [self](error_code ec) { self->on_written(ec); });
      return;
    case write_item::kind::ping: {
      auto it = std::find_if(pings_.begin(), pings_.end(), [&](const pending_ping& p) { return p.id == current_.ping_id; });
      if (it == pings_.end()) {  // timed out while queued
        writing_ = false;
        return write_next();
      }
      it->sent_at = clock::now();
      it->sent = true;
      write_timer_.arm(options_.write_timeout, [self] {
        self->fail({error_kind::write_timeout, "writing a ping to " + self->where() + " did not finish within " +
                                                   ms_text(self->options_.write_timeout)});
      });
      stream_->async_ping(it->payload, [self](error_code ec) { self->on_written(ec); });
      return;
    }
    case write_item::kind::close:
      close_sent_ = true;
      close_in_flight_ = true;
      stream_->async_close(current_.code, current_.payload, [self](error_code ec) { self->on_close_done(ec); });
      return;
  }
}

void connection_impl::on_written(error_code ec) {
  write_timer_.disarm();
  if (state_ == state::ended) return;
  writing_ = false;
  write_item item = std::move(current_);
  bool is_ping = item.what == write_item::kind::ping;
  if (!ec) {
    if (!is_ping) {
      metrics_.sent(item.payload.size());
      deliver(std::move(item.done), error_info{}, current_sent_at_);
    }
    return write_next();
  }
  if (is_clean_close(ec)) {
    // The server's close frame got in first; the read loop ends the connection.
    error_info err{error_kind::closed, "the server closed the connection before the frame was sent"};
    if (is_ping)
      fail_ping(item.ping_id, err);
    else
      deliver(std::move(item.done), err, clock::time_point{});
    return;
  }
  if (ec == boost::asio::error::operation_aborted) {
    // Beast failed the connection (its read found a frame it had to refuse) while this frame
    // waited to be written: the read loop ends the connection and reports why.
    error_info aborted{error_kind::closed, "the connection to " + where() + " failed before the frame was sent"};
    if (is_ping)
      fail_ping(item.ping_id, aborted);
    else
      deliver(std::move(item.done), aborted, clock::time_point{});
    return;
  }
  error_info err = stream_error(ec, where(), options_.max_message);
  if (is_ping)
    fail_ping(item.ping_id, err);
  else
    deliver(std::move(item.done), err, clock::time_point{});
  fail(err);
}

void connection_impl::fail_ping(std::uint64_t id, const error_info& err) {
  auto it = std::find_if(pings_.begin(), pings_.end(), [&](const pending_ping& p) { return p.id == id; });
  if (it == pings_.end()) return;
  deliver(std::move(it->done), err, clock::duration{});
  pings_.erase(it);
}

void connection_impl::async_recv(std::chrono::milliseconds timeout,
                                 std::function<void(const error_info&, message)> done) {
  if (recv_done_) {
    error_info err{error_kind::usage, "only one recv may be pending on a connection"};
    metrics_.error(err);
    return deliver(std::move(done), err, message{});
  }
  if (!inbox_.empty()) {
    message m = std::move(inbox_.front());
    inbox_.pop_front();
    return deliver(std::move(done), error_info{}, std::move(m));
  }
  if (state_ == state::ended) return deliver(std::move(done), end_error_, message{});
  if (state_ == state::idle || state_ == state::connecting) {
    error_info err = not_open("recv");
    metrics_.error(err);
    return deliver(std::move(done), err, message{});
  }
  recv_done_ = std::move(done);
  recv_timer_.arm(timeout, [self = self(), timeout] {
    self->deliver(std::exchange(self->recv_done_, nullptr),
                  error_info{error_kind::recv_timeout,
                             "nothing received from " + self->where() + " within " + ms_text(timeout)},
                  message{});
  });
}

void connection_impl::async_ping(std::chrono::milliseconds timeout,
                                 std::function<void(const error_info&, clock::duration)> done) {
  if (state_ != state::open) {
    error_info err = not_open("ping");
    metrics_.error(err);
    return deliver(std::move(done), err, clock::duration{});
  }
  auto id = ++next_id_;
  pings_.push_back({id, "drover-" + std::to_string(id), {}, false, std::move(done), deadline(io_)});
  pings_.back().timer.arm(timeout, [self = self(), id, timeout] {
    error_info err{error_kind::ping_timeout, "no pong from " + self->where() + " within " + ms_text(timeout)};
    self->metrics_.error(err);
    self->fail_ping(id, err);
  });
  write_item item;
  item.what = write_item::kind::ping;
  item.ping_id = id;
  enqueue(std::move(item));
}

void connection_impl::async_close(std::uint16_t code, std::string reason, std::chrono::milliseconds timeout,
                                  std::function<void(const error_info&)> done) {
  if (state_ == state::ended) return deliver(std::move(done), error_info{});
  if (state_ == state::idle || state_ == state::connecting) {
    error_info err = not_open("close");
    metrics_.error(err);
    return deliver(std::move(done), err);
  }
  close_waiters_.push_back(std::move(done));
  if (state_ == state::closing) return;  // one close frame; every caller completes with it
  state_ = state::closing;
  close_timer_.arm(timeout, [self = self(), timeout] {
    self->fail({error_kind::close_timeout,
                self->where() + " did not answer the close frame within " + ms_text(timeout)});
  });
  write_item item;
  item.what = write_item::kind::close;
  item.code = code;
  item.payload = std::move(reason);
  enqueue(std::move(item));
}

void connection_impl::on_close_done(error_code ec) {
  close_in_flight_ = false;
  if (state_ == state::ended) return;
  writing_ = false;
  auto [code, reason] = stream_->peer_close();
  if (!ec || is_clean_close(ec) || (is_drop(ec) && code != 0))
    return finish({}, code != 0 ? code : 1005, std::move(reason), false);
  fail(stream_error(ec, where(), options_.max_message));
}

void connection_impl::async_wait_closed(std::chrono::milliseconds timeout,
                                        std::function<void(const error_info&, const close_info&)> done) {
  if (state_ == state::ended) return deliver(std::move(done), error_info{}, close_);
  if (state_ == state::idle) {
    error_info err = not_open("wait_closed");
    metrics_.error(err);
    return deliver(std::move(done), err, close_);
  }
  auto id = ++next_id_;
  closed_waiters_.push_back({id, std::move(done), deadline(io_)});
  // Waiting for something that does not happen is the script's business, not a transport error.
  closed_waiters_.back().timer.arm(timeout, [self = self(), id, timeout] {
    auto& waiters = self->closed_waiters_;
    auto it = std::find_if(waiters.begin(), waiters.end(), [&](const closed_waiter& w) { return w.id == id; });
    if (it == waiters.end()) return;
    self->deliver(std::move(it->done),
                  error_info{error_kind::close_timeout,
                             "the connection to " + self->where() + " did not close within " + ms_text(timeout)},
                  self->close_);
    waiters.erase(it);
  });
}

}  // namespace drover::transport::detail
