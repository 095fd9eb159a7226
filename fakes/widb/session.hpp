#pragma once
// One WiDB connection: a phone (after startSession) or a dashboard (after associateUser), on
// top of ws_session. Runs on the connection's worker thread; the hub is thread-safe by itself.
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"
#include "fakes/widb/hub.hpp"
#include "fakes/widb/widb_server.hpp"

namespace drover::fakes::widb {

struct shared_state {
  shared_state(widb_config c, fault_set faults) : config(std::move(c)), run_faults(std::move(faults)) {}
  widb_config config;
  fault_set run_faults;
  hub dashboards;
};

void start_session(boost::asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared);

}  // namespace drover::fakes::widb
