#include "fakes/echo/echo_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/delay_queue.hpp"
#include "fakes/common/fault_schedule.hpp"
#include "fakes/common/ws_session.hpp"

namespace drover::fakes {

namespace asio = boost::asio;
namespace json = boost::json;

const fault_table& echo_faults() {
  static const fault_table table = {
      {"no-handshake", "accepts TCP and reads the upgrade request, never answers it",
       "a server answers the WebSocket upgrade"},
      {"reject-401", "answers the upgrade with HTTP 401", "a server accepts the upgrade (101)"},
      {"close-1011", "closes with 1011 \"internal error\" right after the first message",
       "the connection stays open"},
      {"reset", "drops the TCP connection (RST, no close frame) after the first message",
       "a connection ends with a close handshake"},
      {"oversized", "answers the first message with a 20 MiB text message",
       "messages stay below the client's size limit"},
      {"no-ack", "reads every message and never answers", "every message is answered"},
      {"slow-ack", "answers every message 500 ms late", "answers come promptly"},
      {"ping", "sends a WebSocket ping every 200 ms (answers normally)",
       "the server sends no pings (clients must pong)"},
      {"bad-json", "answers every message with the text \"{not json\"", "answers are valid JSON"},
  };
  return table;
}

namespace {

constexpr std::size_t oversized_bytes = 20u << 20;

struct echo_flags {
  bool no_handshake = false, reject_401 = false, close_1011 = false, reset = false, oversized = false,
       no_ack = false, slow_ack = false, ping = false, bad_json = false;

  explicit echo_flags(const fault_set& f = {})
      : no_handshake(f.has("no-handshake")),
        reject_401(f.has("reject-401")),
        close_1011(f.has("close-1011")),
        reset(f.has("reset")),
        oversized(f.has("oversized")),
        no_ack(f.has("no-ack")),
        slow_ack(f.has("slow-ack")),
        ping(f.has("ping")),
        bad_json(f.has("bad-json")) {}

  echo_flags operator|(const echo_flags& o) const {
    echo_flags out;
    out.no_handshake = no_handshake || o.no_handshake;
    out.reject_401 = reject_401 || o.reject_401;
    out.close_1011 = close_1011 || o.close_1011;
    out.reset = reset || o.reset;
    out.oversized = oversized || o.oversized;
    out.no_ack = no_ack || o.no_ack;
    out.slow_ack = slow_ack || o.slow_ack;
    out.ping = ping || o.ping;
    out.bad_json = bad_json || o.bad_json;
    return out;
  }
};

struct echo_shared {
  echo_flags run_flags;     // --fault, in effect once `schedule` is active
  fault_schedule schedule;  // --fault-after
};

// The ack for a JSON object carrying "id"; nothing for anything else (which is echoed).
std::optional<std::string> ack_for(std::string_view text) {
  std::size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || text[i] != '{') return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* id = v.as_object().if_contains("id");
  if (!id) return std::nullopt;
  json::object ack;
  ack["type"] = "ack";
  ack["id"] = *id;
  ack["server_time"] = epoch_ms_now();
  return json::serialize(ack);
}

const std::shared_ptr<const std::string>& oversized_message() {
  static const auto text = std::make_shared<const std::string>(oversized_bytes, 'x');
  return text;
}

class echo_session final : public ws_session {
 public:
  echo_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<const echo_shared> shared)
      : ws_session(std::move(socket), w, session_limits{}),
        shared_(std::move(shared)),
        ping_timer_(executor()),
        delayed_(executor()) {}

 private:
  upgrade_decision on_upgrade(const upgrade_request& request) override {
    std::string per_connection = query_values(request.target(), "fault");
    if (!per_connection.empty()) asked_ = echo_flags(parse_fault_list(echo_faults(), "echo", per_connection));
    // Faults of the upgrade and of the connection's set-up apply to connections opened once the
    // run's faults are in effect; message faults are looked up again for every message.
    const echo_flags flags = current_flags();
    if (flags.no_handshake) return {upgrade_action::hold, 0, {}};
    if (flags.reject_401) return {upgrade_action::reject, 401, "unauthorized (fault reject-401)\n"};
    pinging_ = flags.ping;
    if (pinging_) limits_.keep_alive_pings = false;
    return {};
  }

  void on_open() override {
    if (pinging_) schedule_ping();
  }

  void on_message(std::string_view payload, bool text) override {
    const echo_flags flags = current_flags();
    // "After the first message": the first one received while the fault is in effect.
    const bool first = !first_faulted_ && (flags.close_1011 || flags.reset || flags.oversized);
    if (first) first_faulted_ = true;
    if (first && flags.close_1011) return close(1011, "internal error");
    if (first && flags.reset) return reset();
    if (flags.no_ack) return;
    if (first && flags.oversized) return answer(oversized_message(), true, flags);
    if (flags.bad_json) return answer(std::make_shared<const std::string>("{not json"), true, flags);
    std::optional<std::string> ack = text ? ack_for(payload) : std::nullopt;
    if (ack) return answer(std::make_shared<const std::string>(std::move(*ack)), true, flags);
    answer(std::make_shared<const std::string>(payload), text, flags);
  }

  void on_closed() override {
    ping_timer_.cancel();
    delayed_.cancel();
  }

  // Once slow-ack is in effect it stays so (the schedule never turns off), so nothing sent at
  // once overtakes a delayed answer.
  void answer(std::shared_ptr<const std::string> payload, bool text, const echo_flags& flags) {
    if (!flags.slow_ack) return send(std::move(payload), text);
    delayed_.push(std::chrono::milliseconds(500),
                  [s = self_typed(), payload, text] { s->send(payload, text); });
  }

  void schedule_ping() {
    ping_timer_.expires_after(std::chrono::milliseconds(200));
    ping_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (ec || s->closing()) return;
      s->ping();
      s->schedule_ping();
    });
  }

  std::shared_ptr<echo_session> self_typed() {
    return std::static_pointer_cast<echo_session>(shared_from_this());
  }

  std::shared_ptr<const echo_shared> shared_;
  echo_flags current_flags() const {
    return shared_->schedule.active() ? asked_ | shared_->run_flags : asked_;
  }

  echo_flags asked_;  // ?fault= of this connection, in effect at once
  bool pinging_ = false;
  bool first_faulted_ = false;
  asio::steady_timer ping_timer_;
  delay_queue delayed_;
};

}  // namespace

std::unique_ptr<fake_server> start_echo(const echo_config& config) {
  auto shared = std::make_shared<echo_shared>();
  shared->run_flags = echo_flags(parse_faults(echo_faults(), "echo", config.faults));
  shared->schedule = fault_schedule(config.fault_after, fault_schedule::clock::now());
  return std::make_unique<fake_server>(config.listen, [shared](asio::ip::tcp::socket socket, worker& w) {
    std::make_shared<echo_session>(std::move(socket), w, shared)->start();
  });
}

}  // namespace drover::fakes
