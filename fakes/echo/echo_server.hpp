#pragma once
// The echo/ack fake: a JSON text object with an "id" gets {"type":"ack","id":ID,"server_time":MS};
// any other message (text or binary) comes back unchanged. Named faults break it on request.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"

namespace drover::fakes {

struct echo_config {
  listen_options listen;
  std::vector<std::string> faults;  // for every connection (validated by start_echo)
  // The faults above take effect this long after start_echo (0: at once); see fault_schedule.
  std::chrono::milliseconds fault_after{0};
};

const fault_table& echo_faults();

// Binds and starts serving; returns once listening. Throws usage_error for an unknown fault
// or an address that cannot be bound. The returned server stops when destroyed.
std::unique_ptr<fake_server> start_echo(const echo_config& config);

}  // namespace drover::fakes
