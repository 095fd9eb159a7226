#include "fakes/remotedev/remotedev_server.hpp"

#include "fakes/remotedev/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

std::chrono::milliseconds default_ping_timeout(socketcluster_protocol protocol) {
  return protocol == socketcluster_protocol::v1 ? std::chrono::milliseconds(20'000) : std::chrono::milliseconds(30'000);
}

std::unique_ptr<fake_server> start_remotedev(const remotedev_config& config) {
  using namespace remotedev;
  fault_set faults = parse_faults(remotedev_faults(), "remotedev", config.faults);
  if (config.ping_interval.count() <= 0) throw usage_error("--ping-interval must be above 0");
  if (config.ping_timeout.count() < 0) throw usage_error("--ping-timeout must be above 0");
  if (config.handshake_timeout.count() <= 0) throw usage_error("--handshake-timeout must be above 0");
  if (config.max_message == 0) throw usage_error("--max-message must be above 0");
  if (config.channel_limit == 0) throw usage_error("the channel limit must be above 0");
  auto shared = std::make_shared<shared_state>();
  shared->config = config;
  if (shared->config.ping_timeout.count() == 0) shared->config.ping_timeout = default_ping_timeout(config.protocol);
  shared->run_faults = std::move(faults);
  return std::make_unique<fake_server>(config.listen, [shared](boost::asio::ip::tcp::socket socket, worker& w) {
    start_session(std::move(socket), w, shared);
  });
}

}  // namespace drover::fakes
