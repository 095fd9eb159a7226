#include "fakes/vstats/session.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/ws_session.hpp"
#include "fakes/vstats/delivery_faults.hpp"
#include "fakes/vstats/flags.hpp"

namespace drover::fakes::vstats {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// The request target's path, without the query.
std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

// Our pings replace Beast's keep-alive pings (which would add pings of their own, off our
// cadence); Beast's idle timeout stays as a backstop that drops a peer silent for 4 ping
// intervals (at least 120 s) - a pong counts as activity, so it never fires for a ponging peer.
session_limits limits_for(const vstats_config& config) {
  session_limits limits;
  limits.keep_alive_pings = false;
  limits.idle_timeout = std::max(limits.idle_timeout, config.ping_interval * 4);
  return limits;
}

class session final : public ws_session {
 public:
  session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared)
      : ws_session(std::move(socket), w, limits_for(shared->config)),
        shared_(std::move(shared)),
        ping_timer_(executor()),
        close_timer_(executor()) {}

  ~session() override { unregister(); }

 private:
  enum class role { dashboard, agent };

  upgrade_decision on_upgrade(const upgrade_request& request) override {
    fault_set faults = shared_->run_faults;
    std::string per_connection = query_values(request.target(), "fault");
    if (!per_connection.empty()) faults.merge(parse_fault_list(vstats_faults(), "vstats", per_connection));
    flags_ = resolve_flags(faults);
    auto path = path_of(request.target());
    if (path == "/ws") {
      role_ = role::dashboard;
      // Registered before the 101 goes out: a client that holds its 101 gets every change from
      // then on [§8.3]. Registered in on_open, a dashboard could see its 101, have an agent
      // connect on another worker, and miss that server_added (the accept's completion ran
      // after the client had read the 101). What arrives before the opening waits in the box.
      open_dashboard();
    } else if (path == "/ws/agent") {
      role_ = role::agent;
      std::string token = query_values(request.target(), "token");
      server_ = shared_->tokens->lookup(token);
      if (!server_ && flags_.accept_bad_token) server_ = server_info{token.empty() ? "anonymous" : token, token, ""};
    } else {
      return {upgrade_action::reject, 404, "vStats endpoints: /ws (dashboards), /ws/agent?token=T (agents)\n"};
    }
    return {};
  }

  void on_open() override {
    shared_->servers.ensure_sweeper(executor());
    if (!flags_.no_ping) arm_ping();
    if (role_ == role::dashboard) {
      dashboard_open_ = true;
      return drain();
    }
    if (!server_) return reject_token();
    agent_open_ = true;
    shared_->servers.agent_connected(*server_, flags_.status_offline_early ? 2 : shared_->config.missed_reports);
  }

  void on_closed() override {
    ping_timer_.cancel();
    close_timer_.cancel();
    unregister();
    // Only a close the agent started with 1000 deregisters (not its echo of one of ours).
    if (agent_open_ && !we_closed_ && peer_close_code() == 1000) shared_->servers.agent_left(server_->id);
    agent_open_ = false;
  }

  void on_pong() override { awaiting_pong_ = false; }

  void shutdown() override {
    we_closed_ = true;
    ws_session::shutdown();
  }

  // Pings every interval; a peer that has not answered the previous ping by then is dropped.
  void arm_ping() {
    ping_timer_.expires_after(shared_->config.ping_interval);
    ping_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (ec || !s->open()) return;
      if (s->awaiting_pong_) return s->reset();
      s->awaiting_pong_ = true;
      s->ping();
      s->arm_ping();
    });
  }

  void reject_token() {
    if (!flags_.slow_bad_token_close) return close(1008, "invalid agent token");
    close_timer_.expires_after(shared_->config.slow_close_delay);
    close_timer_.async_wait([s = self_typed()](boost::system::error_code ec) {
      if (!ec) s->close(1008, "invalid agent token");
    });
  }

  void open_dashboard() {
    std::weak_ptr<session> weak = self_typed();
    auto ex = executor();
    box_ = std::make_shared<dashboard_box>([weak, ex] {
      asio::post(ex, [weak] {
        if (auto s = weak.lock()) s->drain();
      });
    });
    shared_->servers.add_dashboard(box_);
  }

  void unregister() {
    if (!box_) return;
    shared_->servers.remove_dashboard(box_);
    box_.reset();
  }

  void drain() {
    // Before the opening the box keeps what came (and stays woken): on_open drains it.
    if (!box_ || !dashboard_open_) return;
    bool plain = !flags_.alters_delivery();
    for (const auto& e : box_->take()) {
      if (plain) {
        send(e->text);
        continue;
      }
      for (auto& text : deliver(*e, flags_, delivery_)) send(std::move(text));
    }
  }

  // Dashboards send nothing the protocol knows; an agent's unknown messages are ignored too
  // (the document defines no answer), and neither counts as a sign of life.
  void on_message(std::string_view payload, bool text) override {
    if (role_ != role::agent || !agent_open_ || !text) return;
    boost::system::error_code ec;
    json::value message = json::parse(payload, ec);
    if (ec || !message.is_object()) return;
    auto& frame = message.as_object();
    const json::value* type = frame.if_contains("type");
    if (!type || !type->is_string()) return;
    if (type->as_string() == "heartbeat") {
      if (flags_.close_on_heartbeat) {
        we_closed_ = true;
        return close(1011, "heartbeat not expected (fault close-on-heartbeat)");
      }
      if (!flags_.heartbeat_ignored) shared_->servers.agent_alive(server_->id);
      return;
    }
    if (type->as_string() == "metrics") {
      json::value* data = frame.if_contains("data");
      if (!data || !data->is_object()) return;
      shared_->servers.agent_metrics(server_->id, std::move(data->as_object()));
    }
  }

  std::shared_ptr<session> self_typed() { return std::static_pointer_cast<session>(shared_from_this()); }

  std::shared_ptr<shared_state> shared_;
  fault_flags flags_;
  role role_ = role::dashboard;
  std::optional<server_info> server_;  // an agent's server; empty for a bad token
  bool agent_open_ = false;             // an accepted agent, registered with the registry
  bool we_closed_ = false;              // the close was ours: not a deregistration
  bool awaiting_pong_ = false;
  bool dashboard_open_ = false;         // a dashboard past its opening: its box is drained
  asio::steady_timer ping_timer_;
  asio::steady_timer close_timer_;
  std::shared_ptr<dashboard_box> box_;
  delivery_state delivery_;
};

}  // namespace

void start_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::vstats
