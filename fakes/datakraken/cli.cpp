#include "fakes/datakraken/cli.hpp"

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "fakes/common/cli_support.hpp"
#include "fakes/datakraken/datakraken_server.hpp"
#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

int datakraken_main(int argc, char** argv, datakraken_serve_function serve) {
  CLI::App app("drover fake datakraken: DataKraken browser analytics, tickets over HTTP and events over "
               "WebSocket on one port (docs/protocols/datakraken.md)",
               "drover fake datakraken");
  datakraken_config config;
  std::string ttl = "15s";
  std::string listeners = "click,mousemove";
  bool list_faults = false;
  add_listen_and_fault_flags(app, config.listen, config.faults, list_faults, "request and connection");
  app.add_option("--ticket-ttl", ttl, "a ticket opens the socket within this of its issue (whole seconds: 15s, 2s, "
                                      "or 2000); the answer's ttl field states it in seconds")
      ->capture_default_str();
  app.add_option("--listeners", listeners, "the listeners of a session, comma list of click (type 0), mousemove (type 1)")
      ->capture_default_str();
  app.add_option("--max-sessions", config.max_sessions, "session records kept besides open ones (oldest forgotten first)")
      ->capture_default_str();
  app.add_option("--max-message", config.max_message, "largest inbound frame in bytes (above: close 1009)")
      ->capture_default_str();
  const std::string program = "drover fake datakraken";
  if (auto done = parse_fake_flags(app, argc, argv, program)) return *done;
  if (list_faults) {
    std::cout << format_fault_table(datakraken_faults());
    return 0;
  }
  return run_fake(program, [&] {
    config.ticket_ttl = parse_duration(ttl);
    config.listeners.clear();
    std::size_t start = 0;
    while (start <= listeners.size()) {
      std::size_t comma = listeners.find(',', start);
      if (comma == std::string::npos) comma = listeners.size();
      config.listeners.push_back(listeners.substr(start, comma - start));
      start = comma + 1;
    }
    return serve([&] { return start_datakraken(config); });
  });
}

}  // namespace drover::fakes
