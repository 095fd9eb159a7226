#include "fakes/widb/widb_server.hpp"

#include "fakes/widb/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

std::unique_ptr<fake_server> start_widb(const widb_config& config) {
  fault_set faults = parse_faults(widb_faults(), "widb", config.faults);
  if (config.path.empty() || config.path[0] != '/') throw usage_error("--path must start with '/'");
  if (config.max_message < 1024) throw usage_error("--max-message must be at least 1024 bytes");
  auto shared = std::make_shared<widb::shared_state>(config, std::move(faults));
  return std::make_unique<fake_server>(config.listen, [shared](boost::asio::ip::tcp::socket socket, worker& w) {
    widb::start_session(std::move(socket), w, shared);
  });
}

}  // namespace drover::fakes
