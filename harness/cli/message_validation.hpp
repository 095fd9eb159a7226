#pragma once
// Message validation for a run: loads the run's protocol once (shared read-only by all
// workers), gives each worker its own validation_stats through the hooks, and merges them into
// the result document's "validation" section afterwards. Inactive (no hooks, no section) when
// the run declares no protocol or --validate off. Main thread only, except the hooks, which
// each run on their own worker's thread.
#include <memory>
#include <optional>
#include <vector>

#include <boost/json/object.hpp>

#include "harness/protocols/protocol.hpp"
#include "harness/protocols/validation_stats.hpp"
#include "harness/runner/run_config.hpp"
#include "harness/runner/run_controller.hpp"

namespace drover::cli {

class message_validation {
 public:
  // Throws usage_error for an unknown protocol, dialect or --validate mode. Fills in the
  // protocol's default dialect when config.dialect is empty.
  explicit message_validation(runner::run_config& config);

  runner::hooks_factory hooks();                   // empty when inactive
  std::optional<boost::json::object> section();    // after the run: merged stats, document shape

 private:
  std::unique_ptr<protocols::protocol> protocol_;
  std::vector<std::unique_ptr<protocols::validation_stats>> stats_;
  std::string dialect_;
};

}  // namespace drover::cli
