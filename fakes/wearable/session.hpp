#pragma once
// One wearable connection: the protocol state machine of docs/protocols/wearable.md on top of
// ws_session. Everything here runs on the connection's worker thread; the shared part (tokens,
// router) is thread-safe by itself.
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"
#include "fakes/wearable/router.hpp"
#include "fakes/wearable/tokens.hpp"
#include "fakes/wearable/wearable_server.hpp"

namespace drover::fakes::wearable {

struct shared_state {
  shared_state(wearable_config c, fault_set faults, std::unique_ptr<token_store> t)
      : config(std::move(c)),
        run_faults(std::move(faults)),
        tokens(std::move(t)),
        routes(config.consumer_limit, config.history_limit) {}
  wearable_config config;
  fault_set run_faults;
  std::unique_ptr<token_store> tokens;
  router routes;
};

void start_session(boost::asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared);

}  // namespace drover::fakes::wearable
