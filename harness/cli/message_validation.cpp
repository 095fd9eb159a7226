#include "harness/cli/message_validation.hpp"

#include <filesystem>

#include "harness/common/error.hpp"
#include "harness/protocols/protocol_catalog.hpp"

namespace drover::cli {

message_validation::message_validation(runner::run_config& config) {
  protocols::validate_mode mode = protocols::parse_validate_mode(config.validate);
  if (config.protocol.empty() || mode.what == protocols::validate_mode::kind::off) return;
  auto file = protocols::default_schemas_root() / config.protocol / "protocol.json";
  if (!std::filesystem::exists(file))
    throw usage_error("unknown protocol '" + config.protocol + "' (no " + file.string() +
                      "; drover protocols lists them)");
  protocol_ = std::make_unique<protocols::protocol>(protocols::protocol::load(file));
  if (config.dialect.empty()) config.dialect = protocol_->default_dialect();
  if (!protocol_->has_dialect(config.dialect))
    throw usage_error("protocol " + config.protocol + " has no dialect '" + config.dialect + "'");
  dialect_ = config.dialect;
  for (int i = 0; i < config.workers; ++i)
    stats_.push_back(std::make_unique<protocols::validation_stats>(config.protocol, config.dialect, mode));
}

runner::hooks_factory message_validation::hooks() {
  if (!protocol_) return {};
  return [this](int index) {
    runner::worker_hooks h;
    h.observe = [proto = protocol_.get(), st = stats_[static_cast<std::size_t>(index)].get(),
                 dialect = dialect_](transport::direction d, std::string_view payload, bool) {
      if (!st->should_validate()) return;
      auto dir = d == transport::direction::sent ? protocols::direction::client : protocols::direction::server;
      st->record(dir, proto->validate(dir, payload, dialect));
    };
    return h;
  };
}

// validation_stats speaks in valid/invalid and detail; the result document (schemas/harness)
// in count/invalid and message. Other fields (mode, skipped, unknown, counts) stay as they are.
std::optional<boost::json::object> message_validation::section() {
  if (stats_.empty()) return std::nullopt;
  for (std::size_t i = 1; i < stats_.size(); ++i) stats_[0]->merge(*stats_[i]);
  boost::json::object doc = stats_[0]->to_json();
  if (auto* messages = doc.if_contains("messages"); messages && messages->is_array()) {
    for (auto& m : messages->get_array()) {
      auto& o = m.as_object();
      auto number = [&o](const char* key) { return o.contains(key) ? o.at(key).to_number<std::int64_t>() : 0; };
      o["count"] = number("valid") + number("invalid");
    }
  }
  if (auto* violations = doc.if_contains("violations"); violations && violations->is_array()) {
    for (auto& v : violations->get_array()) {
      auto& o = v.as_object();
      if (!o.contains("message") && o.contains("detail")) o["message"] = o.at("detail");
    }
  }
  return doc;
}

}  // namespace drover::cli
