#pragma once
// What every `drover fake NAME` command line shares: the listening and fault flags, parsing with
// the same help and usage-error behaviour, and the mapping of start-up errors to exit codes
// (usage_error: 2, anything else: 4), each message prefixed with the program ("drover fake
// widb"). Main thread only.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "fakes/common/server.hpp"

namespace drover::fakes {

// --port, --host, --threads, --fault (repeatable or a comma list) and --list-faults.
void add_listen_and_fault_flags(CLI::App& app, listen_options& listen, std::vector<std::string>& faults,
                                bool& list_faults, const std::string& fault_scope = "connection");

// Parses argv; nullopt to go on, else the exit code to return (help printed: 0; a usage error
// named on stderr: 2).
std::optional<int> parse_fake_flags(CLI::App& app, int argc, char** argv, const std::string& program);

// Runs `body` (set-up, then serving); a usage_error it throws is a usage error (2), any other
// exception an internal error (4), each named on stderr.
int run_fake(const std::string& program, const std::function<int()>& body);

}  // namespace drover::fakes
