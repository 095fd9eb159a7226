#include "fakes/vstats/vstats_server.hpp"

#include "fakes/vstats/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

std::unique_ptr<fake_server> start_vstats(const vstats_config& config) {
  using namespace vstats;
  if (config.dialect != "documented" && config.dialect != "real")
    throw usage_error("--dialect must be documented or real, not '" + config.dialect + "'");
  bool real = config.dialect == "real";
  fault_set faults = parse_faults(real ? vstats_real_faults() : vstats_faults(), "vstats", config.faults);
  if (config.delta_interval.count() <= 0) throw usage_error("--delta-interval must be above 0");
  if (config.ping_interval.count() <= 0) throw usage_error("--ping-interval must be above 0");
  if (config.report_interval.count() <= 0) throw usage_error("--report-interval must be above 0");
  if (config.missed_reports < 1) throw usage_error("--missed-reports must be at least 1");
  std::unique_ptr<token_store> tokens;
  if (!config.tokens_file.empty()) {
    tokens = token_store::from_file(config.tokens_file);
  } else if (!config.tokens_json.empty()) {
    tokens = token_store::from_json(config.tokens_json, "(inline)");
  } else {
    tokens = std::make_unique<token_store>();
  }
  auto shared = std::make_shared<shared_state>(config, std::move(faults), std::move(tokens));
  return std::make_unique<fake_server>(config.listen, [shared, real](boost::asio::ip::tcp::socket socket, worker& w) {
    if (real) return start_real_session(std::move(socket), w, shared);
    start_session(std::move(socket), w, shared);
  });
}

}  // namespace drover::fakes
