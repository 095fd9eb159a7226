#include "fakes/wearable/session.hpp"

#include <cmath>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/delay_queue.hpp"
#include "fakes/common/ws_session.hpp"
#include "fakes/wearable/dispatch_faults.hpp"
#include "fakes/wearable/flags.hpp"

namespace drover::fakes::wearable {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

enum opcode : int { heartbeat = 0, heartbeat_ack = 1, hello = 2, identify = 3, ready = 4, dispatch = 5,
                    submit = 6, replay = 7 };

const std::shared_ptr<const std::string>& ack_text() {
  static const auto text = std::make_shared<const std::string>(R"({"op":1})");
  return text;
}

const std::shared_ptr<const std::string>& ready_text() {
  static const auto text = std::make_shared<const std::string>(R"({"op":4})");
  return text;
}

// The opcode as an integer; -1 for a number that is not one (3.5, 1e300): unknown either way.
int integral_op(const json::value& op) {
  double d = op.to_number<double>();
  if (!std::isfinite(d) || std::floor(d) != d || d < -1000 || d > 1000) return -1;
  return static_cast<int>(d);
}

class session final : public ws_session {
 public:
  session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared)
      : ws_session(std::move(socket), w, session_limits{}),
        shared_(std::move(shared)),
        hello_timer_(executor()),
        identify_timer_(executor()),
        heartbeat_timer_(executor()),
        late_acks_(executor()) {}

  ~session() override { unregister(); }

 private:
  upgrade_decision on_upgrade(const upgrade_request& request) override {
    fault_set faults = shared_->run_faults;
    std::string per_connection = query_values(request.target(), "fault");
    if (!per_connection.empty()) faults.merge(parse_fault_list(wearable_faults(), "wearable", per_connection));
    flags_ = resolve_flags(faults);
    return {};
  }

  void on_open() override {
    if (flags_.no_hello) return start_timers();
    if (flags_.late_hello) {
      hello_timer_.expires_after(shared_->config.late_hello_delay);
      hello_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
        if (ec || !s->open()) return;
        s->send_hello();
        s->start_timers();
      });
      return;
    }
    send_hello();
    start_timers();
  }

  void on_closed() override {
    hello_timer_.cancel();
    identify_timer_.cancel();
    heartbeat_timer_.cancel();
    late_acks_.cancel();
    unregister();
  }

  void send_hello() {
    json::object d;
    auto ms = shared_->config.heartbeat_interval.count();
    if (flags_.hello_bad_interval) {
      d["heartbeat_interval"] = std::to_string(ms);
    } else {
      d["heartbeat_interval"] = ms;
    }
    send(json::serialize(json::object{{"op", int(hello)}, {"d", std::move(d)}}));
    if (flags_.ready_before_identify) send(ready_text());
  }

  // The server does not shut down cleanly under no-close-on-shutdown: the peer sees 1006.
  void shutdown() override {
    if (flags_.no_close_on_shutdown && open()) return reset();
    ws_session::shutdown();
  }

  void start_timers() {
    auto identify_timeout = shared_->config.identify_timeout;
    if (flags_.early_identify_timeout) identify_timeout = identify_timeout / 2;
    if (flags_.late_identify_timeout) identify_timeout = identify_timeout * 8 / 5;
    identify_timer_.expires_after(identify_timeout);
    identify_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (ec || s->identified_ || s->flags_.no_identify_timeout) return;
      s->close_with(4000, "IDENTIFY payload expected but was not received");
    });
    arm_heartbeat_timer();
  }

  void arm_heartbeat_timer() {
    auto interval = shared_->config.heartbeat_interval;
    auto deadline = interval * 3 / 2;
    if (flags_.early_heartbeat_timeout) deadline = interval * 7 / 10;
    if (flags_.late_heartbeat_timeout) deadline = interval * 5 / 2;
    heartbeat_timer_.expires_after(deadline);
    heartbeat_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (ec || s->flags_.no_heartbeat_timeout) return;
      s->close_with(4005, "no heartbeat within heartbeat_interval x 1.5");
    });
  }

  void close_with(std::uint16_t code, const std::string& reason) {
    std::uint16_t sent = flags_.close_code_for(code);
    close(sent, sent == code ? reason : "wrong close code (fault wrong-close:" + std::to_string(code) + ")");
  }

  void on_message(std::string_view payload, bool) override {
    boost::system::error_code ec;
    json::value message = json::parse(payload, ec);
    const json::value* op = !ec && message.is_object() ? message.as_object().if_contains("op") : nullptr;
    if (!op || !op->is_number()) return close_with(1007, "Invalid or unrecognised JSON data was provided");
    json::object& frame = message.as_object();
    switch (integral_op(*op)) {
      case heartbeat:
        return on_heartbeat();
      case identify:
        return on_identify(frame);
      case submit:
        if (ready_ && role_ == role::producer) return on_submit(frame);
        if (ready_ && role_ == role::consumer && flags_.consumer_submit_accepted) return;
        return close_with(4004, "SUBMIT is for producers after READY");
      case replay:
        if (ready_ && role_ == role::consumer) return on_replay(frame);
        return close_with(4004, "REPLAY is for consumers after READY");
      default:
        return close_with(4004, "Unrecognised opcode was received");
    }
  }

  void on_heartbeat() {
    if (!identified_ && flags_.close_on_early_heartbeat) return close_with(4004, "HEARTBEAT before IDENTIFY");
    arm_heartbeat_timer();
    ++heartbeats_;
    if (flags_.no_ack) return;
    if (!identified_ && flags_.no_ack_before_identify) return;
    if (flags_.ack_every_other && heartbeats_ % 2 == 0) return;
    if (flags_.late_ack) {
      late_acks_.push(shared_->config.heartbeat_interval, [s = self_typed()] { s->send(ack_text()); });
      return;
    }
    send(ack_text());
  }

  void on_identify(const json::object& frame) {
    if (identified_) {
      if (flags_.double_identify_accepted) return send(ready_text());
      return close_with(4003, "Multiple IDENTIFY payloads received");
    }
    identified_ = true;
    identify_timer_.cancel();
    const json::value* d = frame.if_contains("d");
    const json::value* token = d && d->is_object() ? d->as_object().if_contains("token") : nullptr;
    const json::value* type = d && d->is_object() ? d->as_object().if_contains("type") : nullptr;
    bool type_ok = type && type->is_number() && (type->to_number<double>() == 0 || type->to_number<double>() == 1);
    if (!token || !token->is_string() || !type_ok) {
      return close_with(4001, "Improper token was passed for IDENTIFY");
    }
    role expected = type->to_number<double>() == 0 ? role::producer : role::consumer;
    auto claim = shared_->tokens->claim(std::string(token->as_string()), expected, flags_.reuse_token);
    if (claim.result != token_store::outcome::ok) {
      const char* why = claim.result == token_store::outcome::used         ? "token already used"
                        : claim.result == token_store::outcome::wrong_role ? "token does not match IDENTIFY type"
                                                                           : "unknown token";
      return close_with(4001, std::string("Improper token was passed for IDENTIFY: ") + why);
    }
    role_ = expected;
    user_ = claim.who.user;
    channel_ = shared_->routes.channel(claim.who.developer);
    if (role_ == role::consumer && !register_consumer()) {
      return close_with(4002, "consumer session limit reached for this developer");
    }
    ready_ = true;
    if (flags_.late_ready) {
      late_acks_.push(shared_->config.heartbeat_interval * 3 / 4, [s = self_typed()] { s->send(ready_text()); });
      return;
    }
    send(ready_text());
  }

  bool register_consumer() {
    std::weak_ptr<session> weak = self_typed();
    auto ex = executor();
    auto box = std::make_shared<mailbox>([weak, ex] {
      asio::post(ex, [weak] {
        if (auto s = weak.lock()) s->drain();
      });
    });
    if (!channel_->add_consumer(box)) return false;
    mailbox_ = std::move(box);
    if (flags_.cross_developer_dispatch) shared_->routes.add_spy(channel_->developer(), mailbox_);
    return true;
  }

  void unregister() {
    if (!mailbox_) return;
    channel_->remove_consumer(mailbox_);
    if (flags_.cross_developer_dispatch) shared_->routes.remove_spy(mailbox_);
    mailbox_.reset();
  }

  void drain() {
    if (!mailbox_) return;
    for (const auto& record : mailbox_->take()) {
      if (auto text = live_dispatch_text(*record, live_, flags_)) send(std::move(text));
    }
  }

  void on_submit(json::object& frame) {
    json::value* d = frame.if_contains("d");
    json::value* t = frame.if_contains("t");
    if (!d || !d->is_object() || !t || !t->is_string()) {
      return close_with(1007, "SUBMIT needs an object d and a string t");
    }
    json::object& data = d->as_object();
    if (!data.contains("ts")) data["ts"] = iso8601_now();
    channel_->submit(user_, std::string(t->as_string()), std::move(data));
  }

  void on_replay(const json::object& frame) {
    const json::value* d = frame.if_contains("d");
    const json::object* args = d && d->is_object() ? &d->as_object() : nullptr;
    const json::value* after = args ? args->if_contains("after") : nullptr;
    const json::value* before = args ? args->if_contains("before") : nullptr;
    if (!after || !after->is_number() || (before && !before->is_null() && !before->is_number())) {
      return close_with(1007, "REPLAY needs a numeric d.after (and optionally a numeric d.before)");
    }
    std::optional<double> upper;
    if (before && before->is_number()) upper = before->to_number<double>();
    auto records = channel_->range(after->to_number<double>(), upper, flags_.replay_inclusive);
    for (auto& text : replay_texts(std::move(records), flags_)) send(std::move(text));
  }

  std::shared_ptr<session> self_typed() { return std::static_pointer_cast<session>(shared_from_this()); }

  std::shared_ptr<shared_state> shared_;
  fault_flags flags_;
  asio::steady_timer hello_timer_;
  asio::steady_timer identify_timer_;
  asio::steady_timer heartbeat_timer_;
  delay_queue late_acks_;  // late ACKs and (late-ready) READY
  bool identified_ = false;  // an IDENTIFY was received (good or not)
  bool ready_ = false;       // READY was sent after a good IDENTIFY
  role role_ = role::producer;
  std::string user_;
  std::shared_ptr<developer_channel> channel_;
  std::shared_ptr<mailbox> mailbox_;
  live_stream live_;
  std::uint64_t heartbeats_ = 0;
};

}  // namespace

void start_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::wearable
