#include "fakes/widb/session.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "fakes/common/ws_session.hpp"
#include "fakes/widb/flags.hpp"
#include "fakes/widb/messages.hpp"

namespace drover::fakes::widb {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

const std::shared_ptr<const std::string>& ack_text() {
  static const auto text = std::make_shared<const std::string>(R"({"messageType":"ack"})");
  return text;
}

std::string_view string_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

session_limits widb_limits(const widb_config& config) {
  session_limits limits;
  limits.read_message_max = config.max_message;
  return limits;
}

class session final : public ws_session {
 public:
  session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared)
      : ws_session(std::move(socket), w, widb_limits(shared->config)), shared_(std::move(shared)) {}

  ~session() override { dissociate(); }

 private:
  upgrade_decision on_upgrade(const upgrade_request& request) override {
    std::string_view target = request.target();
    std::string_view path = target.substr(0, target.find('?'));
    if (path != shared_->config.path) {
      return {upgrade_action::reject, 404, "the WiDB endpoint is " + shared_->config.path + "\n"};
    }
    fault_set faults = shared_->run_faults;
    std::string per_connection = query_values(target, "fault");
    if (!per_connection.empty()) faults.merge(parse_fault_list(widb_faults(), "widb", per_connection));
    flags_ = resolve_flags(faults);
    return {};
  }

  void on_open() override {}

  void on_ping() override {
    if (flags_.drop_on_early_ping && !introduced_) reset();
  }

  void on_closed() override { dissociate(); }

  void on_message(std::string_view payload, bool) override {
    boost::system::error_code ec;
    json::value message = json::parse(payload, ec);
    if (ec || !message.is_object()) {
      if (flags_.drop_on_bad_json) return reset();
      return close(1007, "invalid JSON: every frame is one JSON object");
    }
    json::object& frame = message.as_object();
    std::string_view type = string_field(frame, "messageType");
    if (type == "associateUser") return on_associate(frame);
    bool phone_message = type == "startSession" || type == "logDump" || type == "deviceMetrics" || type == "endSession";
    if (!phone_message) {
      // Unknown (or missing) messageType: ignored, which the protocol allows (so is 1003).
      if (flags_.drop_on_unknown_type) return reset();
      return;
    }
    if (type == "startSession") {
      on_start(frame);
    } else if (!started_) {
      // Before startSession (or after endSession) there is no session to file it under: ignored.
      if (flags_.drop_before_start) return reset();
      return;
    } else if (type == "logDump") {
      if (!on_log_dump(frame)) return;
    } else if (type == "deviceMetrics") {
      if (!flags_.no_fanout) publish(device_metrics_text(std::move(frame), flags_));
    } else {
      started_ = false;
      if (flags_.ack_phone) send(ack_text());
      if (flags_.close_after_end) close(1000, "session ended");
      return;
    }
    if (flags_.ack_phone) send(ack_text());
  }

  void on_start(const json::object& frame) {
    std::string_view key = string_field(frame, "apiKey");
    if (key.empty()) return;  // not a session we could route: ignored like any bad message
    api_key_ = std::string(key);
    os_type_ = std::string(string_field(frame, "osType"));
    started_ = introduced_ = true;
  }

  // False when the connection was dropped (a fault).
  bool on_log_dump(const json::object& frame) {
    const json::value* raw = frame.if_contains("rawLogData");
    if (!raw || !raw->is_string()) return true;  // nothing to pass on
    std::string_view text = raw->get_string();
    if (flags_.drop_on_studio_format && has_studio_line(text)) {
      reset();
      return false;
    }
    std::string_view os = string_field(frame, "osType");
    std::string os_type = !os.empty() ? std::string(os) : flags_.wrong_ostype ? "Android" : os_type_;
    if (!flags_.no_fanout) publish(log_data_text(text, os_type, flags_, shared_->config.entries));
    return true;
  }

  void publish(std::string text) {
    shared_->dashboards.publish(api_key_, std::make_shared<const std::string>(std::move(text)));
  }

  void on_associate(const json::object& frame) {
    std::string_view key = string_field(frame, "apiKey");
    if (key.empty()) return;
    dissociate();
    std::weak_ptr<session> weak = std::static_pointer_cast<session>(shared_from_this());
    auto ex = executor();
    mailbox_ = std::make_shared<mailbox>([weak, ex] {
      asio::post(ex, [weak] {
        if (auto s = weak.lock()) s->drain();
      });
    });
    dashboard_key_ = std::string(key);
    introduced_ = true;
    shared_->dashboards.associate(dashboard_key_, mailbox_);
    if (flags_.fanout_wrong_apikey) shared_->dashboards.add_spy(dashboard_key_, mailbox_);
  }

  void dissociate() {
    if (!mailbox_) return;
    shared_->dashboards.dissociate(dashboard_key_, mailbox_);
    if (flags_.fanout_wrong_apikey) shared_->dashboards.remove_spy(mailbox_);
    mailbox_.reset();
  }

  void drain() {
    if (!mailbox_) return;
    for (auto& text : mailbox_->take()) send(std::move(text));
  }

  std::shared_ptr<shared_state> shared_;
  fault_flags flags_;
  bool started_ = false;
  bool introduced_ = false;           // a startSession or associateUser was taken (ever)
  std::string api_key_, os_type_;     // phone side, from startSession
  std::string dashboard_key_;         // dashboard side, from associateUser
  std::shared_ptr<mailbox> mailbox_;  // set while associated
};

}  // namespace

void start_session(asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared) {
  std::make_shared<session>(std::move(socket), w, std::move(shared))->start();
}

}  // namespace drover::fakes::widb
