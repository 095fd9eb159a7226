#pragma once
// The DataKraken browser-analytics fake (docs/protocols/datakraken.md), plain HTTP and
// WebSocket on one port:
//   GET /api/session        issues a single-use ticket and a session id, sets the dk_visitor
//                           cookie when the request has none;
//   ws  /ws?ticket=T        within the ticket's ttl: start, then click (0) / mousemove (1)
//                           events, one per frame, optionally end; the server sends nothing
//                           but pings and closes 4003 / 4004 / 1007 on broken rules;
//   GET /api/session/{id}   what was recorded: {"events":{"0":N,"1":M},"duration_ms":D,
//                           "ended_cleanly":B,...}, final once the socket has closed.
// Correct by default; named faults each break one rule (fakes/README.md "## datakraken").
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"

namespace drover::fakes {

struct datakraken_config {
  listen_options listen;
  std::vector<std::string> faults;                       // for every request and connection
  std::chrono::milliseconds ticket_ttl{15'000};  // a ticket opens the socket within this (whole seconds)
  std::vector<std::string> listeners{"click", "mousemove"};  // default listeners of a session
  std::size_t max_sessions = 100'000;  // records kept besides open ones (oldest forgotten first)
  std::size_t max_message = 64 * 1024;  // largest inbound frame in bytes (above: close 1009)
  // Each HTTP request (headers and body), and the wait for the next one on a kept-alive
  // connection, must complete within this, else the connection is closed.
  std::chrono::milliseconds request_timeout{10'000};
};

const fault_table& datakraken_faults();

// Binds and starts serving; returns once listening. Throws usage_error (unknown fault or
// listener name, a ttl, cap or limit out of range, a bad address). The server stops when
// destroyed.
std::unique_ptr<fake_server> start_datakraken(const datakraken_config& config);

}  // namespace drover::fakes
