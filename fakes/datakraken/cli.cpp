#include "fakes/datakraken/cli.hpp"

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

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
  app.add_option("--port", config.listen.port, "TCP port (0: pick a free one)");
  app.add_option("--host", config.listen.host, "address to listen on")->capture_default_str();
  app.add_option("--threads", config.listen.threads, "worker threads (0: one per core)");
  app.add_option("--fault", config.faults, "a named fault for every request and connection (repeatable; see --list-faults)")
      ->delimiter(',');
  app.add_flag("--list-faults", list_faults, "print the faults this fake knows and exit");
  app.add_option("--ticket-ttl", ttl, "a ticket opens the socket within this of its issue (whole seconds: 15s, 2s, "
                                      "or 2000); the answer's ttl field states it in seconds")
      ->capture_default_str();
  app.add_option("--listeners", listeners, "the listeners of a session, comma list of click (type 0), mousemove (type 1)")
      ->capture_default_str();
  app.add_option("--max-sessions", config.max_sessions, "session records kept besides open ones (oldest forgotten first)")
      ->capture_default_str();
  app.add_option("--max-message", config.max_message, "largest inbound frame in bytes (above: close 1009)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "drover fake datakraken: %s\n", e.what());
    return static_cast<int>(exit_code::usage);
  }
  if (list_faults) {
    std::cout << format_fault_table(datakraken_faults());
    return 0;
  }
  try {
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
  } catch (const usage_error& e) {
    std::fprintf(stderr, "drover fake datakraken: %s\n", e.what());
    return static_cast<int>(exit_code::usage);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drover fake datakraken: internal error: %s\n", e.what());
    return static_cast<int>(exit_code::internal);
  }
}

}  // namespace drover::fakes
