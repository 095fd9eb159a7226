#include "fakes/vstats/delivery_faults.hpp"

#include <boost/json/serialize.hpp>

namespace drover::fakes::vstats {

namespace json = boost::json;

namespace {

// data.metrics.cpu.usage / 100: a percentage reported as a fraction.
void mangle_cpu_usage(json::object& message) {
  auto* data = message.if_contains("data");
  auto* metrics = data && data->is_object() ? data->as_object().if_contains("metrics") : nullptr;
  auto* cpu = metrics && metrics->is_object() ? metrics->as_object().if_contains("cpu") : nullptr;
  auto* usage = cpu && cpu->is_object() ? cpu->as_object().if_contains("usage") : nullptr;
  if (usage && usage->is_number()) *usage = usage->to_number<double>() / 100;
}

}  // namespace

std::vector<std::shared_ptr<const std::string>> deliver(const event& e, const fault_flags& f, delivery_state& state) {
  using kind = event::kind;
  switch (e.what) {
    case kind::metrics:
      if (f.metrics_not_forwarded) return {};
      break;
    case kind::status:
      if ((e.online && f.no_online_status) || (!e.online && f.status_never_offline)) return {};
      break;
    case kind::server_added:
      if (f.no_server_added) return {};
      break;
    case kind::server_removed:
      if (f.no_server_removed) return {};
      break;
  }
  auto text = e.text;
  bool rewrite = f.envelope_missing_timestamp || (e.what == kind::metrics && (f.metrics_wrong_server || f.metrics_mangled));
  if (rewrite) {
    json::object copy = *e.message;
    if (f.envelope_missing_timestamp) copy.erase("timestamp");
    if (e.what == kind::metrics && f.metrics_wrong_server) {
      if (auto* data = copy.if_contains("data"); data && data->is_object()) {
        auto& d = data->as_object();
        if (auto* id = d.if_contains("server_id"); id && id->is_string()) {
          d["server_id"] = std::string(id->as_string()) + "~other";
        }
      }
    }
    if (e.what == kind::metrics && f.metrics_mangled) mangle_cpu_usage(copy);
    text = std::make_shared<const std::string>(json::serialize(copy));
  }
  if (e.what == kind::metrics && f.metrics_duplicate && ++state.metrics_seen % 2 == 0) return {text, text};
  return {text};
}

}  // namespace drover::fakes::vstats
