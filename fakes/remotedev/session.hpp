#pragma once
// One RemoteDev connection on top of ws_session: the SocketCluster handshake, pings and the ping
// timeout, #subscribe / #unsubscribe / #publish, and the RemoteDev events (login, log, log-noid,
// respond, sc-<id>). Runs on the connection's worker thread; the exchange is thread-safe by itself.
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"
#include "fakes/remotedev/exchange.hpp"
#include "fakes/remotedev/remotedev_server.hpp"

namespace drover::fakes::remotedev {

struct shared_state {
  remotedev_config config;  // ping_timeout already resolved (never 0)
  fault_set run_faults;
  exchange channels;
};

void start_session(boost::asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared);

}  // namespace drover::fakes::remotedev
