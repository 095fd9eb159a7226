#include "fakes/echo/echo_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/delay_queue.hpp"
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

struct echo_shared {
  fault_set run_faults;
};

struct echo_flags {
  bool close_1011 = false, reset = false, oversized = false, no_ack = false, slow_ack = false,
       ping = false, bad_json = false;
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
    fault_set faults = shared_->run_faults;
    std::string per_connection = query_values(request.target(), "fault");
    if (!per_connection.empty()) faults.merge(parse_fault_list(echo_faults(), "echo", per_connection));
    if (faults.has("no-handshake")) return {upgrade_action::hold, 0, {}};
    if (faults.has("reject-401")) return {upgrade_action::reject, 401, "unauthorized (fault reject-401)\n"};
    flags_.close_1011 = faults.has("close-1011");
    flags_.reset = faults.has("reset");
    flags_.oversized = faults.has("oversized");
    flags_.no_ack = faults.has("no-ack");
    flags_.slow_ack = faults.has("slow-ack");
    flags_.ping = faults.has("ping");
    flags_.bad_json = faults.has("bad-json");
    if (flags_.ping) limits_.keep_alive_pings = false;
    return {};
  }

  void on_open() override {
    if (flags_.ping) schedule_ping();
  }

  void on_message(std::string_view payload, bool text) override {
    bool first = !seen_first_;
    seen_first_ = true;
    if (first && flags_.close_1011) return close(1011, "internal error");
    if (first && flags_.reset) return reset();
    if (flags_.no_ack) return;
    if (first && flags_.oversized) return answer(oversized_message(), true);
    if (flags_.bad_json) return answer(std::make_shared<const std::string>("{not json"), true);
    std::optional<std::string> ack = text ? ack_for(payload) : std::nullopt;
    if (ack) return answer(std::make_shared<const std::string>(std::move(*ack)), true);
    answer(std::make_shared<const std::string>(payload), text);
  }

  void on_closed() override {
    ping_timer_.cancel();
    delayed_.cancel();
  }

  void answer(std::shared_ptr<const std::string> payload, bool text) {
    if (!flags_.slow_ack) return send(std::move(payload), text);
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
  echo_flags flags_;
  bool seen_first_ = false;
  asio::steady_timer ping_timer_;
  delay_queue delayed_;
};

}  // namespace

std::unique_ptr<fake_server> start_echo(const echo_config& config) {
  auto shared = std::make_shared<echo_shared>();
  shared->run_faults = parse_faults(echo_faults(), "echo", config.faults);
  return std::make_unique<fake_server>(config.listen, [shared](asio::ip::tcp::socket socket, worker& w) {
    std::make_shared<echo_session>(std::move(socket), w, shared)->start();
  });
}

}  // namespace drover::fakes
