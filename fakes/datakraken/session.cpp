#include "fakes/datakraken/session.hpp"

#include <optional>

#include <boost/asio/steady_timer.hpp>

namespace drover::fakes::datakraken {

namespace asio = boost::asio;

namespace {

session_limits limits_for(const datakraken_config& config) {
  session_limits limits;
  limits.handshake_timeout = config.request_timeout;
  limits.read_message_max = config.max_message;
  return limits;
}

class session final : public ws_session {
 public:
  session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared)
      : ws_session(std::move(socket), w, limits_for(shared->config)), shared_(std::move(shared)), ttl_timer_(executor()) {}

 private:
  std::optional<http_response> on_http(const upgrade_request& request) override {
    return answer_http(request, *shared_);
  }

  upgrade_decision on_upgrade(const upgrade_request& request) override {
    std::string_view target = request.target();
    if (target.substr(0, target.find('?')) != "/ws") {
      return {upgrade_action::reject, 404, "the DataKraken WebSocket endpoint is /ws?ticket=T\n"};
    }
    fault_flags faults = shared_->run_faults;
    std::string asked = query_values(target, "fault");
    // An unknown name throws usage_error: ws_session answers 400 with its message.
    if (!asked.empty()) faults |= resolve_flags(parse_fault_list(datakraken_faults(), "datakraken", asked));
    claim_result claim = shared_->records.claim(query_values(target, "ticket"), faults);
    flags_ = claim.faults;
    if (!claim.accepted) {
      if (!flags_.refuse_with_4001) return {upgrade_action::reject, 401, claim.refusal + "\n"};
      refusal_ = claim.refusal;  // the variant: accept, then close 4001 at once
      return {};
    }
    record_ = std::move(claim.record);
    listeners_ = claim.listeners;
    if (claim.issued != steady::time_point{}) issued_ = claim.issued;
    return {};
  }

  void on_open() override {
    if (!refusal_.empty()) return close_with(4001, refusal_);
    opened_at_ = steady::now();
    opened_ = true;
    shared_->records.opened(record_);
    if (flags_.close_at_ttl && issued_) {
      ttl_timer_.expires_at(*issued_ + shared_->config.ticket_ttl);
      ttl_timer_.async_wait([s = std::static_pointer_cast<session>(shared_from_this())](boost::system::error_code ec) {
        if (!ec) s->close_with(4001, "ticket expired (fault close-at-ttl)");
      });
    }
  }

  void on_closed() override {
    ttl_timer_.cancel();
    if (!record_) return;
    std::int64_t duration =
        opened_ ? std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - opened_at_).count() : 0;
    if (flags_.duration_needs_end && !ended_) duration = 0;
    bool lost = flags_.needs_end_message && !ended_;
    shared_->records.closed(record_, duration, ended_ || flags_.always_ended_cleanly, lost);
    record_.reset();
  }

  // Binary frames are read like text: the document does not say which a browser uses.
  void on_message(std::string_view payload, bool) override {
    if (ended_ || !record_) return;  // after end nothing counts; a refused socket is closing
    message m = classify(payload, flags_.wants_elapsed ? "elapsed" : "ellapsed");
    switch (m.kind) {
      case message_kind::bad_json:
        if (flags_.no_bad_json_close) return;
        return close_with(1007, m.problem);
      case message_kind::bad_message:
        return close_with(1007, m.problem);
      case message_kind::start:
        if (started_) return;  // a second start changes nothing
        if (!m.problem.empty()) return close_with(1007, m.problem);
        started_ = true;
        return acknowledge();
      case message_kind::end:
        if (!started_ && !flags_.accept_before_start) return close_with(4003, "end before start");
        ended_ = true;
        return;
      case message_kind::event:
        return on_event(m);
    }
  }

  void on_event(const message& m) {
    if (!started_ && !flags_.accept_before_start) return close_with(4003, "event before start");
    bool known = m.type >= 0 && m.type < event_types;
    // listeners-swapped checks a click against "mousemove" and a move against "click".
    std::int64_t checked = known && flags_.listeners_swapped ? 1 - m.type : m.type;
    bool listened = known && (listeners_ & (1u << checked));
    if (!listened && !flags_.ignore_listeners) {
      return close_with(4004, "event type " + std::to_string(m.type) + " is not among this session's listeners");
    }
    if (!known) return;  // ignore-listeners: a type nobody defined is dropped
    if (!m.problem.empty()) return close_with(1007, m.problem);
    ++events_;
    if (!(flags_.lose_events && events_ % 100 == 0)) shared_->records.count_event(record_, m.type);
    acknowledge();
  }

  void acknowledge() {
    if (flags_.server_sends_data) send(R"({"type":"ack","timestamp":)" + std::to_string(epoch_ms_now()) + "}");
  }

  // Close reasons are limited to 123 bytes; ours are ASCII, so a cut cannot split a character.
  void close_with(std::uint16_t code, std::string_view reason) { close(code, std::string(reason.substr(0, 120))); }

  std::shared_ptr<shared_state> shared_;
  fault_flags flags_;
  std::shared_ptr<session_record> record_;  // null until an accepted upgrade, again once closed
  listener_mask listeners_ = 0;
  std::optional<steady::time_point> issued_;  // the ticket's issue (none for a socket without one)
  std::string refusal_;                       // non-empty: refused, to be closed 4001 on open
  steady::time_point opened_at_;
  bool opened_ = false, started_ = false, ended_ = false;
  std::uint64_t events_ = 0;  // events accepted, counted or (lose-events) not
  asio::steady_timer ttl_timer_;
};

}  // namespace

void start_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::datakraken
