#pragma once
// `drover fake hostile --mode NAME`: a server that gets one thing wrong for every connection,
// below WebSocket (TCP, TLS, the HTTP upgrade, frame bytes) or above it (what Beast lets a
// server send), so tests can prove that drover neither crashes, hangs nor grows on it. The mode
// table says, per mode, what the server does and what drover must report (an error kind of
// summary.json's `errors`). Unlike the other fakes it has no faults: the mode is the fault.
//
// Lifetime and threads as for every fake (fakes/common/server.hpp). Every connection is closed
// after `max_life` at the latest; no loop of a mode is unbounded.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/common/server.hpp"

namespace drover::fakes {

enum class hostile_mode {
  slow_upgrade, bad_upgrade, bad_accept, trickle, never_read, rst_mid_frame, oversized, invalid_utf8,
  fragmented_control, ping_flood, close_storm, unasked_compression, binary_instead_of_text, half_close,
  tls_expired, tls_wrong_host, tls_stall, tls_oversized,
};

struct hostile_mode_info {
  hostile_mode mode;
  std::string_view name;     // as given to --mode ("slow-upgrade")
  std::string_view does;     // what the server does
  std::string_view reports;  // what drover must report (error kinds, or what a script sees)
  bool tls = false;          // the target is wss://
};

// Every mode, in the order --list-modes prints them.
const std::vector<hostile_mode_info>& hostile_modes();
// --list-modes: one line per mode (name, what it does, what drover must report).
std::string format_hostile_modes();

struct hostile_config {
  listen_options listen;
  std::string mode;                                  // a name of hostile_modes()
  std::chrono::milliseconds max_life{60'000};        // a connection is closed after this at the latest
  std::string cert_out;                              // TLS modes: write the server's certificate (PEM) here
};

// Starts listening. Throws usage_error for an unknown mode or an unwritable cert_out.
std::unique_ptr<fake_server> start_hostile(const hostile_config& config);

}  // namespace drover::fakes
