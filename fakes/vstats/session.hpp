#pragma once
// One vStats connection on top of ws_session: the path picks the role (/ws a dashboard,
// /ws/agent an agent, anything else HTTP 404). Runs on the connection's worker thread; the
// shared part (tokens, registry) is thread-safe by itself.
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"
#include "fakes/vstats/real_registry.hpp"
#include "fakes/vstats/registry.hpp"
#include "fakes/vstats/tokens.hpp"
#include "fakes/vstats/vstats_server.hpp"

namespace drover::fakes::vstats {

struct shared_state {
  shared_state(vstats_config c, fault_set faults, std::unique_ptr<token_store> t)
      : config(std::move(c)),
        run_faults(std::move(faults)),
        tokens(std::move(t)),
        servers(config.report_interval),
        real({config.delta_interval, config.report_interval, config.missed_reports}) {}
  bool real_dialect() const { return config.dialect == "real"; }
  vstats_config config;
  fault_set run_faults;
  std::unique_ptr<token_store> tokens;
  registry servers;    // documented dialect
  real_registry real;  // real dialect
};

void start_session(boost::asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared);
// The real dialect's connection (real_session.cpp).
void start_real_session(boost::asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared);

}  // namespace drover::fakes::vstats
