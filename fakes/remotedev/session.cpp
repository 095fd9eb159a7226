#include "fakes/remotedev/session_impl.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/remotedev/packets.hpp"

namespace drover::fakes::remotedev {

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

json::value parse_frame(std::string_view payload, boost::system::error_code& ec) {
  json::parse_options options;
  options.max_depth = 512;
  return json::parse(payload, ec, {}, options);
}

ws_session::upgrade_decision session::on_upgrade(const upgrade_request& request) {
  std::string_view target = request.target();
  if (target.substr(0, target.find('?')) != endpoint)
    return {upgrade_action::reject, 404, "the SocketCluster endpoint is /socketcluster/\n"};
  fault_set faults = shared_->run_faults;
  std::string per_connection = query_values(target, "fault");
  if (!per_connection.empty()) faults.merge(parse_fault_list(remotedev_faults(), "remotedev", per_connection));
  flags_ = resolve_flags(faults);
  return {};
}

void session::on_open() {
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

void session::on_closed() {
  ping_timer_.cancel();
  silence_timer_.cancel();
  handshake_timer_.cancel();
  leave(true);
}

void session::arm_ping() {
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

void session::arm_silence(clock::time_point deadline) {
  silence_timer_.expires_at(deadline);
  silence_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
    if (ec || !s->open()) return;
    auto due = s->last_heard_ + s->silence_limit();
    if (clock::now() < due) return s->arm_silence(due);
    s->close(4001, "Client pong timed out");
  });
}

void session::on_message(std::string_view payload, bool) {
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

void session::before_handshake(std::string_view payload, bool pong) {
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

void session::early_packet(json::value& packet) {
  if (handshaken_) return handle_packet(packet);
  const json::object* p = packet.if_object();
  const json::value* event = p ? p->if_contains("event") : nullptr;
  if (event && event->is_string() && event->get_string() == "#handshake") return handshake(*p, true);
  refuse_early(&packet);
}

void session::refuse_early(json::value* packet) {
  if (!flags_.non_handshake_accepted) return close(4009, "Server received a message before the client handshake");
  if (packet) handle_packet(*packet);
}

void session::handshake(const json::object& packet, bool first) {
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

json::value session::wrong_rid(const json::value& cid) {
  if (cid.is_int64()) return cid.get_int64() == INT64_MAX ? cid.get_int64() - 1 : cid.get_int64() + 1;
  if (cid.is_uint64()) return cid.get_uint64() + 1;
  if (cid.is_double()) {
    double d = cid.get_double();
    return d + 1 != d ? d + 1 : -d;
  }
  return json::string("wrong-" + json::serialize(cid));
}

const json::value* session::answer_to(const json::object& packet) const {
  const json::value* cid = packet.if_contains("cid");
  if (!cid) return nullptr;
  bool answerable = v1() ? truthy(*cid) : cid->is_number();
  return answerable ? cid : nullptr;
}

void session::drain() {
  if (!box_) return;
  for (auto& text : box_->take()) send(std::move(text));
}

void session::leave(bool announce) {
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

void start_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::remotedev
