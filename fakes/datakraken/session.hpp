#pragma once
// One DataKraken connection on top of ws_session: plain HTTP requests (the ticket and record
// endpoints, keep-alive) until an upgrade on /ws, then one analytics session. Runs on the
// connection's worker thread; the registry is thread-safe by itself.
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "fakes/common/server.hpp"
#include "fakes/common/ws_session.hpp"
#include "fakes/datakraken/datakraken_server.hpp"
#include "fakes/datakraken/flags.hpp"
#include "fakes/datakraken/messages.hpp"
#include "fakes/datakraken/registry.hpp"

namespace drover::fakes::datakraken {

struct shared_state {
  shared_state(datakraken_config c, fault_flags run, listener_mask l)
      : config(std::move(c)), run_faults(run), listeners(l), records(config.ticket_ttl, config.max_sessions, l) {}
  datakraken_config config;
  fault_flags run_faults;
  listener_mask listeners;  // a session's listeners unless its ticket request names others
  registry records;
};

// The answer to a plain HTTP request (any path, any method): GET /api/session,
// GET /api/session/{id}, 404, 405, 426 for /ws without an upgrade, 400 for a bad ?fault= or
// ?listeners=. Any thread.
http_response answer_http(const upgrade_request& request, shared_state& shared);

void start_session(boost::asio::ip::tcp::socket socket, worker& w, std::shared_ptr<shared_state> shared);

}  // namespace drover::fakes::datakraken
