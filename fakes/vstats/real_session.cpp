// One connection of the vStats fake in the real dialect (docs/protocols/vstats.md §14):
// agents authenticate in-band ({"type":"auth","server_id","token"} answered {"type":"auth",
// "status":"ok"|"error"} without a close; metrics before that get {"type":"error"}), dashboards
// get the snapshot and then the deltas. The server sends no pings in this dialect (agents do;
// Beast answers them).
#include <boost/asio/post.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/ws_session.hpp"
#include "fakes/vstats/flags.hpp"
#include "fakes/vstats/session.hpp"

namespace drover::fakes::vstats {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

class real_session final : public ws_session {
 public:
  real_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared)
      : ws_session(std::move(socket), w, session_limits{}), shared_(std::move(shared)) {}
  ~real_session() override { unregister(); }

 private:
  upgrade_decision on_upgrade(const upgrade_request& request) override {
    fault_set faults = shared_->run_faults;
    std::string per_connection = query_values(request.target(), "fault");
    if (!per_connection.empty()) faults.merge(parse_fault_list(vstats_real_faults(), "vstats", per_connection));
    flags_ = resolve_real_flags(faults);
    std::string_view target = request.target();
    auto path = target.substr(0, target.find('?'));
    if (path == "/ws") {
      dashboard_ = true;
    } else if (path != "/ws/agent") {
      return {upgrade_action::reject, 404, "vStats endpoints: /ws (dashboards), /ws/agent (agents)\n"};
    }
    return {};
  }

  void on_open() override {
    shared_->real.ensure_ticker(executor());
    if (!dashboard_) return;
    std::weak_ptr<real_session> weak = self_typed();
    auto ex = executor();
    box_ = std::make_shared<dashboard_box>([weak, ex] {
      asio::post(ex, [weak] {
        if (auto s = weak.lock()) s->drain();
      });
    });
    shared_->real.add_dashboard(box_, {flags_.snapshot_miscount, flags_.no_stream_end, flags_.snapshot_offline});
  }

  void on_closed() override { unregister(); }

  void unregister() {
    if (!box_) return;
    shared_->real.remove_dashboard(box_);
    box_.reset();
  }

  // Deltas pass through this dashboard's faults; the snapshot was built with them.
  void drain() {
    if (!box_) return;
    for (const auto& e : box_->take()) {
      const json::value* type = e->message->if_contains("type");
      bool delta = type && type->is_string() && type->as_string() == "delta";
      if (!delta || !(flags_.delta_slow || flags_.delta_missing_report)) {
        send(e->text);
        continue;
      }
      json::object copy = *e->message;
      if (flags_.delta_slow) {
        // Every second delta is held back and merged into the next: late, but nothing lost.
        json::array changes = std::move(held_);
        held_ = {};
        if (auto* d = copy.if_contains("d")) {
          for (auto& change : d->as_array()) changes.push_back(std::move(change));
        }
        if (++deltas_ % 2 == 1) {
          held_ = std::move(changes);
          continue;
        }
        copy.erase("d");
        if (!changes.empty()) copy["d"] = std::move(changes);
      }
      if (flags_.delta_missing_report && copy.contains("d")) {
        for (auto& change : copy["d"].as_array()) change.as_object().erase("m");
      }
      send(json::serialize(copy));
    }
  }

  void on_message(std::string_view payload, bool text) override {
    if (dashboard_ || !text) return;
    boost::system::error_code ec;
    json::value message = json::parse(payload, ec);
    if (ec || !message.is_object()) return;
    auto& frame = message.as_object();
    const json::value* type = frame.if_contains("type");
    if (!type || !type->is_string()) return;
    if (type->as_string() == "auth") return on_auth(frame);
    if (type->as_string() != "metrics") return;
    const json::value* report = frame.if_contains("metrics");
    if (!server_) {
      if (!flags_.metrics_before_auth_accepted) send(R"({"type":"error","message":"Not authenticated"})");
      return;
    }
    if (report && report->is_object()) shared_->real.agent_report(server_->id, report->as_object());
  }

  void on_auth(const json::object& frame) {
    const json::value* id = frame.if_contains("server_id");
    const json::value* token = frame.if_contains("token");
    std::optional<server_info> server;
    if (id && id->is_string() && token && token->is_string()) {
      server = shared_->tokens->lookup(token->as_string());
      if (server && server->id != id->as_string()) server.reset();  // a token is one server's
    }
    if (!server) {
      if (flags_.close_on_bad_auth) return close(1008, "invalid token");
      return send(R"({"type":"auth","status":"error","message":"Invalid token"})");
    }
    server_ = std::move(server);
    shared_->real.agent_authenticated(*server_);
    if (!flags_.no_auth_answer) send(R"({"type":"auth","status":"ok"})");
  }

  std::shared_ptr<real_session> self_typed() { return std::static_pointer_cast<real_session>(shared_from_this()); }

  std::shared_ptr<shared_state> shared_;
  real_fault_flags flags_;
  bool dashboard_ = false;
  std::optional<server_info> server_;  // set by a good auth
  std::shared_ptr<dashboard_box> box_;
  std::uint64_t deltas_ = 0;
  json::array held_;  // fault delta-slow: the changes of the delta held back
};

}  // namespace

void start_real_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<real_session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::vstats
