#include "fakes/datakraken/datakraken_server.hpp"

#include "fakes/datakraken/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

std::unique_ptr<fake_server> start_datakraken(const datakraken_config& config) {
  using namespace datakraken;
  fault_flags faults = resolve_flags(parse_faults(datakraken_faults(), "datakraken", config.faults));
  listener_mask listeners = 0;
  try {
    listeners = parse_listeners(config.listeners);
  } catch (const usage_error& e) {
    throw usage_error(std::string("--listeners: ") + e.what());
  }
  // The ticket answer states the ttl as an integer number of seconds.
  if (config.ticket_ttl.count() <= 0 || config.ticket_ttl.count() % 1000 != 0)
    throw usage_error("--ticket-ttl must be a whole number of seconds above 0 (1s, 15s), not " +
                      std::to_string(config.ticket_ttl.count()) + " ms");
  if (config.max_sessions < 1) throw usage_error("--max-sessions must be at least 1");
  if (config.max_message < 1024) throw usage_error("--max-message must be at least 1024 bytes");
  if (config.request_timeout.count() <= 0) throw usage_error("the request timeout must be above 0");
  auto shared = std::make_shared<shared_state>(config, faults, listeners);
  return std::make_unique<fake_server>(config.listen, [shared](boost::asio::ip::tcp::socket socket, worker& w) {
    start_session(std::move(socket), w, shared);
  });
}

}  // namespace drover::fakes
