#include "fakes/remotedev/session.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/ws_session.hpp"
#include "fakes/remotedev/flags.hpp"
#include "fakes/remotedev/packets.hpp"

namespace drover::fakes::remotedev {

namespace asio = boost::asio;
namespace json = boost::json;
using clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view endpoint = "/socketcluster/";
// What every connection with fault same-socket-id is called (20 characters, like a real id).
constexpr std::string_view same_id = "SameIdForEveryone000";
constexpr std::size_t max_channel_name = 1024;
constexpr std::string_view no_tokens = "The auth token is not valid (this server issues no auth tokens)";

// What jsonwebtoken says of a token this server did not sign (it signs none).
std::string_view token_complaint(const json::value& token) {
  if (!token.is_string()) return "jwt must be a string";
  std::string_view t = token.get_string();
  return std::count(t.begin(), t.end(), '.') == 2 ? "invalid signature" : "jwt malformed";
}

session_limits remotedev_limits(const remotedev_config& config) {
  session_limits limits;
  limits.read_message_max = config.max_message;
  // SocketCluster pings in text frames of its own; a real server sends no WebSocket pings, so
  // Beast's keep-alive pings are off. Its idle timeout stays as a backstop for the faults that
  // switch our ping timeout off.
  limits.keep_alive_pings = false;
  limits.idle_timeout = std::max<std::chrono::milliseconds>(limits.idle_timeout, config.ping_timeout * 4);
  return limits;
}

// JavaScript's truthiness, which the real servers apply to cid (`if (this.id)`) and authToken
// (`data.authToken || null`).
bool truthy(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return false;
    case json::kind::bool_: return v.get_bool();
    case json::kind::int64: return v.get_int64() != 0;
    case json::kind::uint64: return v.get_uint64() != 0;
    case json::kind::double_: return v.get_double() != 0;
    case json::kind::string: return !v.get_string().empty();
    default: return true;
  }
}

// A state of any depth a JavaScript app may send (Boost.JSON's default stops at 32 levels).
json::value parse_frame(std::string_view payload, boost::system::error_code& ec) {
  json::parse_options options;
  options.max_depth = 512;
  return json::parse(payload, ec, {}, options);
}

class session final : public ws_session {
 public:
  session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared)
      : ws_session(std::move(socket), w, remotedev_limits(shared->config)),
        shared_(std::move(shared)),
        ping_timer_(executor()),
        silence_timer_(executor()),
        handshake_timer_(executor()) {}

  // Destroyed with its io_context at shutdown: unsubscribe only, nothing posted anywhere.
  ~session() override { leave(false); }

 private:
  enum class role { none, app, monitor };

  const remotedev_config& config() const { return shared_->config; }
  bool v1() const { return config().protocol == socketcluster_protocol::v1; }
  std::string_view ping_text() const { return v1() != flags_.ping_wrong_format ? "#1" : ""; }
  std::string_view pong_text() const { return v1() ? "#2" : ""; }
  std::chrono::milliseconds ping_period() const {
    return flags_.slow_ping ? config().ping_interval * 5 / 2 : config().ping_interval;
  }
  std::chrono::milliseconds silence_limit() const {
    return flags_.early_ping_timeout ? config().ping_timeout / 2 : config().ping_timeout;
  }

  upgrade_decision on_upgrade(const upgrade_request& request) override {
    std::string_view target = request.target();
    if (target.substr(0, target.find('?')) != endpoint)
      return {upgrade_action::reject, 404, "the SocketCluster endpoint is /socketcluster/\n"};
    fault_set faults = shared_->run_faults;
    std::string per_connection = query_values(target, "fault");
    if (!per_connection.empty()) faults.merge(parse_fault_list(remotedev_faults(), "remotedev", per_connection));
    flags_ = resolve_flags(faults);
    return {};
  }

  // Every timer runs from the opening, as the real servers' do (a ping before the handshake too).
  void on_open() override {
    id_ = flags_.same_socket_id ? std::string(same_id) : make_socket_id();
    std::weak_ptr<session> weak = self_typed();
    auto ex = executor();
    box_ = std::make_shared<mailbox>([weak, ex] {
      asio::post(ex, [weak] {
        if (auto s = weak.lock()) s->drain();
      });
    });
    auto now = clock::now();
    if (!flags_.no_ping) {
      next_ping_ = now + ping_period();
      arm_ping();
    }
    if (!flags_.ping_timeout_ignored) {
      last_heard_ = now;
      arm_silence(now + silence_limit());
    }
    if (!flags_.no_handshake_timeout) {
      handshake_timer_.expires_after(flags_.early_handshake_timeout ? config().handshake_timeout / 2
                                                                    : config().handshake_timeout);
      handshake_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
        if (ec || !s->open() || s->handshaken_) return;
        // remotedev-server's disconnect(4005) announces itself before the close frame.
        if (s->v1()) s->send(R"({"event":"#disconnect","data":{"code":4005}})");
        s->close(4005, "Did not receive #handshake from client before timeout");
      });
    }
  }

  void on_closed() override {
    ping_timer_.cancel();
    silence_timer_.cancel();
    handshake_timer_.cancel();
    leave(true);
  }

  // On a fixed cadence from the opening; a worker that fell behind by a whole period skips the
  // missed pings instead of sending them in a burst.
  void arm_ping() {
    ping_timer_.expires_at(next_ping_);
    ping_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (ec || !s->open()) return;
      s->send(std::string(s->ping_text()));
      s->next_ping_ += s->ping_period();
      auto now = clock::now();
      if (s->next_ping_ <= now) s->next_ping_ = now + s->ping_period();
      s->arm_ping();
    });
  }

  // One timer for the whole connection: a message only moves last_heard_, and the timer, when it
  // fires early, waits again for what is left (no cancel and re-arm per message).
  void arm_silence(clock::time_point deadline) {
    silence_timer_.expires_at(deadline);
    silence_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (ec || !s->open()) return;
      auto due = s->last_heard_ + s->silence_limit();
      if (clock::now() < due) return s->arm_silence(due);
      s->close(4001, "Client pong timed out");
    });
  }

  void on_message(std::string_view payload, bool) override {
    // Binary frames are read as text, as both real servers decode them.
    bool pong = payload == pong_text();
    if (pong || !flags_.pong_only_keepalive) last_heard_ = clock::now();
    if (!handshaken_) return before_handshake(payload, pong);
    if (pong) return;
    boost::system::error_code ec;
    json::value frame = parse_frame(payload, ec);
    if (ec) return;  // not JSON: a "raw" message, which the real servers ignore
    if (!frame.is_array()) return handle_packet(frame);
    for (auto& packet : frame.as_array()) {
      if (closing()) return;
      handle_packet(packet);
    }
  }

  void before_handshake(std::string_view payload, bool pong) {
    boost::system::error_code ec;
    json::value frame;
    if (!pong) frame = parse_frame(payload, ec);
    if (pong || ec) return refuse_early(nullptr);
    if (!frame.is_array()) return early_packet(frame);
    for (auto& packet : frame.as_array()) {
      if (closing()) return;
      early_packet(packet);
    }
  }

  void early_packet(json::value& packet) {
    if (handshaken_) return handle_packet(packet);
    const json::object* p = packet.if_object();
    const json::value* event = p ? p->if_contains("event") : nullptr;
    if (event && event->is_string() && event->get_string() == "#handshake") return handshake(*p, true);
    refuse_early(&packet);
  }

  // The first packet must be the handshake; anything else (a pong, junk, an event) ends it.
  void refuse_early(json::value* packet) {
    if (!flags_.non_handshake_accepted) return close(4009, "Server received a message before the client handshake");
    if (packet) handle_packet(*packet);
  }

  void handshake(const json::object& packet, bool first) {
    const json::value* cid = answer_to(packet);
    if (!cid && !v1()) {
      // @redux-devtools/cli refuses a handshake that cannot be answered.
      return close(4008, "Server rejected handshake from client");
    }
    if (first) {
      handshaken_ = true;
      handshake_timer_.cancel();
      // From the handshake on, so that the fault breaks §5.2 alone: a socket that never
      // handshakes (case 1.2's silent one) must not see stray traffic under it either.
      if (flags_.deliver_unsubscribed) shared_->channels.add_spy(box_);
    }
    const json::value* data = packet.if_contains("data");
    const json::value* token = data && data->is_object() ? data->as_object().if_contains("authToken") : nullptr;
    // The fake signs no tokens, so a token sent is never valid: the answer says why and the
    // client is told to drop it (v1 before the answer, v2 after it, as the real servers order it).
    bool bad_token = token && truthy(*token);
    if (bad_token && first && v1()) {
      json::value null_data;
      send(event_text("#removeAuthToken", &null_data));
    }
    if (cid) {
      json::object status;
      if (!flags_.handshake_no_id) status["id"] = id_;
      auto announced = flags_.handshake_wrong_ping_timeout ? config().ping_timeout / 2 : config().ping_timeout;
      status["pingTimeout"] = announced.count();
      if (bad_token) {
        json::object error = error_object("AuthTokenInvalidError", token_complaint(*token));
        if (!v1()) error["isBadToken"] = true;
        status["authError"] = std::move(error);
      }
      status["isAuthenticated"] = false;
      json::value answer = std::move(status);
      send(answer_text(flags_.handshake_wrong_rid ? wrong_rid(*cid) : *cid, &answer));
    }
    if (bad_token && !v1()) send(event_text("#removeAuthToken"));
  }

  // Always a value other than cid: no overflow at INT64_MAX (UB), no +1 lost on a double of
  // 2^53 or more (1e300 + 1 is 1e300: its negation instead, since one ulp may not survive the
  // JSON text); UINT64_MAX wraps to 0, another value too.
  static json::value wrong_rid(const json::value& cid) {
    if (cid.is_int64()) return cid.get_int64() == INT64_MAX ? cid.get_int64() - 1 : cid.get_int64() + 1;
    if (cid.is_uint64()) return cid.get_uint64() + 1;
    if (cid.is_double()) {
      double d = cid.get_double();
      return d + 1 != d ? d + 1 : -d;
    }
    return json::string("wrong-" + json::serialize(cid));
  }

  // The cid an answer goes to, or null when the packet wants none: v1 answers a cid JavaScript
  // counts as true, v2 any number.
  const json::value* answer_to(const json::object& packet) const {
    const json::value* cid = packet.if_contains("cid");
    if (!cid) return nullptr;
    bool answerable = v1() ? truthy(*cid) : cid->is_number();
    return answerable ? cid : nullptr;
  }

  void fail(const json::value* cid, std::string_view name, const std::string& message) {
    if (cid) send(error_text(*cid, name, message));
  }

  void handle_packet(json::value& value) {
    json::object* packet = value.if_object();
    if (!packet) return;
    const json::value* event = packet->if_contains("event");
    // Answers ({"rid":...}) to us are never expected (we ask nothing); other shapes are "raw".
    if (!event || !event->is_string()) return;
    std::string_view name = event->get_string();
    const json::value* data = packet->if_contains("data");
    const json::value* cid = answer_to(*packet);
    if (!name.empty() && name.front() == '#') return reserved(name, *packet, data, cid);
    if (name == "login") return login(data, cid);
    relay(name, data);
    if (cid && flags_.answer_plain_emit) send(answer_text(*cid));
  }

  void reserved(std::string_view name, const json::object& packet, const json::value* data, const json::value* cid) {
    if (name == "#handshake") {
      // v1 listens for one handshake only; v2 answers every one (the same status again).
      if (!v1()) handshake(packet, false);
      return;
    }
    if (name == "#subscribe") return subscribe(data, cid);
    if (name == "#unsubscribe") return unsubscribe(data, cid);
    if (name == "#publish") return client_publish(data, cid);
    if (name == "#authenticate") return fail(cid, "AuthTokenInvalidError", std::string(no_tokens));
    // #removeAuthToken, #disconnect (the client is about to close) and any other reserved name:
    // nothing to do and nothing to answer.
  }

  // The real servers' error texts, which differ a little between versions.
  std::string broker_error(std::string_view what, std::string_view channel, const std::string& why) const {
    return "Failed to " + std::string(what) + " the " + std::string(channel) + " channel - " +
           (v1() ? "" : "InvalidActionError: ") + "Socket " + id_ + " " + why;
  }

  void subscribe(const json::value* data, const json::value* cid) {
    const json::value* channel = nullptr;
    if (data && data->is_object()) channel = data->as_object().if_contains("channel");
    else if (data && data->is_string() && v1()) channel = data;  // v1 also takes the bare name
    if (!channel || !channel->is_string()) {
      if (!v1()) return fail(cid, "InvalidActionError", "Subscribe channel name was malformatted");
      return fail(cid, "BrokerError",
                  broker_error("subscribe socket to", "undefined", "provided an invalid channel name"));
    }
    // @redux-devtools/cli subscribes on request only (a #subscribe without a cid does nothing).
    if (!cid && !v1()) return;
    std::string name(channel->get_string());
    // The real servers take any length; a bound keeps one client's subscriptions small.
    if (name.size() > max_channel_name) {
      // The first 64 bytes at most, cut before a UTF-8 continuation byte: text frames stay UTF-8.
      std::size_t cut = 64;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      return fail(cid, "BrokerError",
                  broker_error("subscribe socket to", name.substr(0, cut) + "...",
                               "provided a channel name longer than " + std::to_string(max_channel_name) + " bytes"));
    }
    if (!subscriptions_.count(name) && subscriptions_.size() >= config().channel_limit) {
      return fail(cid, "BrokerError",
                  broker_error("subscribe socket to", name,
                               "tried to exceed the channel subscription limit of " +
                                   std::to_string(config().channel_limit)));
    }
    if (subscriptions_.insert(name).second) shared_->channels.subscribe(name, box_);
    if (cid && !flags_.subscribe_not_acked) send(answer_text(*cid));
  }

  void unsubscribe(const json::value* data, const json::value* cid) {
    if (!data || !data->is_string()) {
      if (!v1()) return fail(cid, "InvalidActionError", "Unsubscribe channel name was malformatted");
      return fail(cid, "BrokerError",
                  broker_error("unsubscribe socket from", "undefined", "tried to unsubscribe from an invalid channel name"));
    }
    std::string name(data->get_string());
    if (!subscriptions_.count(name)) {
      return fail(cid, "BrokerError",
                  broker_error("unsubscribe socket from", name,
                               "tried to unsubscribe from a channel which it is not subscribed to"));
    }
    if (!flags_.unsubscribe_ignored) {
      subscriptions_.erase(name);
      shared_->channels.unsubscribe(name, box_);
    }
    if (cid) send(answer_text(*cid));
  }

  // Both real servers run with allowClientPublish false: a client may not publish.
  void client_publish(const json::value* data, const json::value* cid) {
    if (!flags_.publish_accepted) return fail(cid, "InvalidActionError", "Client publish feature is disabled");
    const json::object* d = data ? data->if_object() : nullptr;
    const json::value* channel = d ? d->if_contains("channel") : nullptr;
    if (!channel || !channel->is_string()) return fail(cid, "InvalidActionError", "Publish channel name was malformatted");
    shared_->channels.publish(channel->get_string(), d->if_contains("data"));
    if (cid) send(answer_text(*cid));
  }

  void login(const json::value* data, const json::value* cid) {
    bool app = data && data->is_string() && data->get_string() == "master";
    role_ = app ? role::app : role::monitor;
    std::string_view watch = app ? "respond" : "log";
    if (v1()) shared_->channels.set_direct(id_, box_, std::string(watch));
    if (!cid) return;
    std::string_view channel = watch;
    if (app && flags_.wrong_channel_for_app) channel = "log";
    if (!app && flags_.wrong_channel_for_monitor) channel = "respond";
    json::value answer = json::string(channel);
    send(answer_text(*cid, &answer));
  }

  // What remotedev-server and @redux-devtools/cli relay, from anyone (logged in or not).
  void relay(std::string_view name, const json::value* data) {
    exchange& channels = shared_->channels;
    if (name == "log") {
      if (flags_.log_not_relayed) return;
      if (!flags_.log_relayed_modified) return channels.publish("log", data);
      json::value changed = data && data->is_object() && !data->as_object().empty() ? *data : json::value();
      if (changed.is_object()) changed.as_object().erase(std::prev(changed.as_object().end()));
      return channels.publish("log", &changed);
    }
    if (name == "log-noid") {
      if (flags_.log_noid_not_wrapped) return channels.publish("log", data);
      json::object wrapped;
      wrapped["id"] = flags_.log_noid_wrong_id ? "not-" + id_ : id_;
      if (data) wrapped["data"] = *data;
      json::value message = std::move(wrapped);
      return channels.publish("log", &message);
    }
    if (name == "respond") {
      if (!flags_.respond_not_relayed) channels.publish("respond", data);
      return;
    }
    if (name.rfind("sc-", 0) == 0) channels.publish(name, data);
  }

  void drain() {
    if (!box_) return;
    for (auto& text : box_->take()) send(std::move(text));
  }

  // Ends the connection's part in the exchange. When it ends while the server runs (not when
  // destroyed with the io_context), the other side hears of a logged-in peer leaving: an app's
  // DISCONNECTED on log, a monitor's on respond (as both real servers publish it).
  void leave(bool announce) {
    if (!box_) return;
    exchange& channels = shared_->channels;
    for (const auto& name : subscriptions_) channels.unsubscribe(name, box_);
    subscriptions_.clear();
    if (flags_.deliver_unsubscribed) channels.remove_spy(box_);
    if (v1()) channels.remove_direct(id_, box_);
    box_.reset();
    if (!announce || role_ == role::none || flags_.no_disconnected) return;
    json::value note = json::object{{"id", id_}, {"type", "DISCONNECTED"}};
    channels.publish(role_ == role::app ? "log" : "respond", &note);
  }

  std::shared_ptr<session> self_typed() { return std::static_pointer_cast<session>(shared_from_this()); }

  std::shared_ptr<shared_state> shared_;
  fault_flags flags_;
  std::string id_;
  bool handshaken_ = false;
  role role_ = role::none;
  std::set<std::string> subscriptions_;
  std::shared_ptr<mailbox> box_;  // set from the opening until the connection leaves
  clock::time_point next_ping_;
  clock::time_point last_heard_;
  asio::steady_timer ping_timer_;
  asio::steady_timer silence_timer_;
  asio::steady_timer handshake_timer_;
};

}  // namespace

void start_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::remotedev
