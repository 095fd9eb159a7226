#pragma once
// The RemoteDev fake's connection class, shared by the two files that implement it:
// session.cpp (opening, timers, the SocketCluster handshake, leaving) and session_channels.cpp
// (the events after the handshake: #subscribe, #unsubscribe, #publish, login, relays).
// Private to fakes/remotedev; session.hpp is the interface.
#include <chrono>
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/mailbox.hpp"
#include "fakes/common/ws_session.hpp"
#include "fakes/remotedev/flags.hpp"
#include "fakes/remotedev/session.hpp"

namespace drover::fakes::remotedev {

namespace asio = boost::asio;
namespace json = boost::json;
using clock = std::chrono::steady_clock;

inline constexpr std::string_view endpoint = "/socketcluster/";
// What every connection with fault same-socket-id is called (20 characters, like a real id).
inline constexpr std::string_view same_id = "SameIdForEveryone000";
inline constexpr std::size_t max_channel_name = 1024;
inline constexpr std::string_view no_tokens = "The auth token is not valid (this server issues no auth tokens)";

// What jsonwebtoken says of a token this server did not sign (it signs none).
std::string_view token_complaint(const json::value& token);
session_limits remotedev_limits(const remotedev_config& config);
// JavaScript's truthiness, which the real servers apply to cid (`if (this.id)`) and authToken
// (`data.authToken || null`).
bool truthy(const json::value& v);
// A state of any depth a JavaScript app may send (Boost.JSON's default stops at 32 levels).
json::value parse_frame(std::string_view payload, boost::system::error_code& ec);

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
  upgrade_decision on_upgrade(const upgrade_request& request) override;

  // Every timer runs from the opening, as the real servers' do (a ping before the handshake too).
  void on_open() override;
  void on_closed() override;

  // On a fixed cadence from the opening; a worker that fell behind by a whole period skips the
  // missed pings instead of sending them in a burst.
  void arm_ping();

  // One timer for the whole connection: a message only moves last_heard_, and the timer, when it
  // fires early, waits again for what is left (no cancel and re-arm per message).
  void arm_silence(clock::time_point deadline);
  void on_message(std::string_view payload, bool) override;
  void before_handshake(std::string_view payload, bool pong);
  void early_packet(json::value& packet);

  // The first packet must be the handshake; anything else (a pong, junk, an event) ends it.
  void refuse_early(json::value* packet);
  void handshake(const json::object& packet, bool first);

  // Always a value other than cid: no overflow at INT64_MAX (UB), no +1 lost on a double of
  // 2^53 or more (1e300 + 1 is 1e300: its negation instead, since one ulp may not survive the
  // JSON text); UINT64_MAX wraps to 0, another value too.
  static json::value wrong_rid(const json::value& cid);

  // The cid an answer goes to, or null when the packet wants none: v1 answers a cid JavaScript
  // counts as true, v2 any number.
  const json::value* answer_to(const json::object& packet) const;
  void fail(const json::value* cid, std::string_view name, const std::string& message);
  void handle_packet(json::value& value);
  void reserved(std::string_view name, const json::object& packet, const json::value* data, const json::value* cid);

  // The real servers' error texts, which differ a little between versions.
  std::string broker_error(std::string_view what, std::string_view channel, const std::string& why) const;
  void subscribe(const json::value* data, const json::value* cid);
  void unsubscribe(const json::value* data, const json::value* cid);

  // Both real servers run with allowClientPublish false: a client may not publish.
  void client_publish(const json::value* data, const json::value* cid);
  void login(const json::value* data, const json::value* cid);

  // What remotedev-server and @redux-devtools/cli relay, from anyone (logged in or not).
  void relay(std::string_view name, const json::value* data);
  void drain();

  // Ends the connection's part in the exchange. When it ends while the server runs (not when
  // destroyed with the io_context), the other side hears of a logged-in peer leaving: an app's
  // DISCONNECTED on log, a monitor's on respond (as both real servers publish it).
  void leave(bool announce);

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

}  // namespace drover::fakes::remotedev
