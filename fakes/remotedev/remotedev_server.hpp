#pragma once
// The RemoteDev fake (docs/protocols/remotedev.md): SocketCluster over WebSocket at
// /socketcluster/, protocol v1 (remotedev-server 0.3.1) or v2 (@redux-devtools/cli 5.0.0).
// Apps `login` with "master" and emit `log` / `log-noid`; monitors log in with anything else and
// emit `respond`; the server relays them as #publish on the channels `log` and `respond` to
// whoever subscribed, and tells monitors when an app leaves. Pings every ping_interval from
// the opening ("#1" in v1, an empty text frame in v2), 4001 after ping_timeout of silence,
// 4005 without a handshake in handshake_timeout, 4009 for a first packet that is not the
// handshake. Correct by default; named faults each break one rule.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"

namespace drover::fakes {

enum class socketcluster_protocol { v1, v2 };

struct remotedev_config {
  listen_options listen;
  std::vector<std::string> faults;  // for every connection (validated by start_remotedev)
  socketcluster_protocol protocol = socketcluster_protocol::v2;
  std::chrono::milliseconds ping_interval{8'000};       // a ping this often, from the opening
  std::chrono::milliseconds ping_timeout{0};            // silence before 4001; 0: the protocol's
  std::chrono::milliseconds handshake_timeout{10'000};  // no #handshake by then: 4005
  std::size_t max_message = 16u << 20;  // largest inbound frame in bytes (a bigger one: close 1009)
  std::size_t channel_limit = 1000;     // subscriptions per connection (one more: an error answer)
};

// v1 20 s, v2 30 s: what remotedev-server 0.3.1 and @redux-devtools/cli 5.0.0 announce.
std::chrono::milliseconds default_ping_timeout(socketcluster_protocol protocol);

const fault_table& remotedev_faults();

// Binds and starts serving; returns once listening. Throws usage_error (unknown fault, bad
// address, a timer of zero or less, a zero limit). The returned server stops when destroyed.
std::unique_ptr<fake_server> start_remotedev(const remotedev_config& config);

}  // namespace drover::fakes
