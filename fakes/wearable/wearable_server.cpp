#include "fakes/wearable/wearable_server.hpp"

#include "fakes/wearable/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

namespace asio = boost::asio;

std::unique_ptr<fake_server> start_wearable(const wearable_config& config) {
  using namespace wearable;
  fault_set faults = parse_faults(wearable_faults(), "wearable", config.faults);
  if (config.heartbeat_interval.count() <= 0) throw usage_error("--heartbeat-interval must be above 0");
  if (config.identify_timeout.count() <= 0) throw usage_error("--identify-timeout must be above 0");
  if (config.consumer_limit == 0) throw usage_error("--consumer-limit must be at least 1");
  std::unique_ptr<token_store> tokens;
  if (!config.tokens_file.empty()) {
    tokens = token_store::from_file(config.tokens_file);
  } else if (!config.tokens_json.empty()) {
    tokens = token_store::from_json(config.tokens_json, "(inline)");
  } else {
    tokens = std::make_unique<token_store>();
  }
  auto shared = std::make_shared<shared_state>(config, std::move(faults), std::move(tokens));
  return std::make_unique<fake_server>(config.listen, [shared](asio::ip::tcp::socket socket, worker& w) {
    start_session(std::move(socket), w, shared);
  });
}

}  // namespace drover::fakes
