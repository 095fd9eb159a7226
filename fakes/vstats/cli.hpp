#pragma once
// The vstats fake's own flags for `drover fake vstats` (fakes/fake_main.cpp adds the common ones).
#include <memory>
#include <string>
#include <vector>

#include <CLI/App.hpp>

#include "fakes/vstats/vstats_server.hpp"

namespace drover::fakes {

struct vstats_cli {
  vstats_config config;
  std::string ping_interval = "30000";
  std::string report_interval = "5000";
  std::string delta_interval = "5000";
};

void add_vstats_options(CLI::App& app, vstats_cli& cli);

// The fault table of the dialect chosen on the command line (for --list-faults).
const fault_table& vstats_cli_faults(const vstats_cli& cli);

// Fills listen, faults and the parsed durations in, then starts the fake. Throws usage_error.
std::unique_ptr<fake_server> start_vstats_cli(vstats_cli& cli, const listen_options& listen,
                                              const std::vector<std::string>& faults);

}  // namespace drover::fakes
