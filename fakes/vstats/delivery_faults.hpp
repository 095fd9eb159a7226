#pragma once
// What a dashboard with delivery faults receives instead of an event's text: nothing, the
// text twice, or a rewritten copy (docs: fakes/README.md, vstats fault table).
// Runs on the dashboard's thread; `state` is that dashboard's own.
#include <memory>
#include <string>
#include <vector>

#include "fakes/vstats/flags.hpp"
#include "fakes/vstats/registry.hpp"

namespace drover::fakes::vstats {

struct delivery_state {
  std::uint64_t metrics_seen = 0;  // for metrics-duplicate
};

std::vector<std::shared_ptr<const std::string>> deliver(const event& e, const fault_flags& flags,
                                                        delivery_state& state);

}  // namespace drover::fakes::vstats
