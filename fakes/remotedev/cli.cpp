#include "fakes/remotedev/cli.hpp"

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

socketcluster_protocol parse_socketcluster_protocol(const std::string& text) {
  if (text == "v1" || text == "1") return socketcluster_protocol::v1;
  if (text == "v2" || text == "2") return socketcluster_protocol::v2;
  throw usage_error("--protocol must be v1 or v2, not '" + text + "'");
}

int remotedev_main(int argc, char** argv, remotedev_serve_function serve) {
  CLI::App app("drover fake remotedev: RemoteDev over SocketCluster, apps and monitors on /socketcluster/ "
               "(docs/protocols/remotedev.md)",
               "drover fake remotedev");
  remotedev_config config;
  std::string protocol = "v2", ping_interval = "8s", ping_timeout, handshake_timeout = "10s";
  bool list_faults = false;
  app.add_option("--port", config.listen.port, "TCP port (0: pick a free one)");
  app.add_option("--host", config.listen.host, "address to listen on")->capture_default_str();
  app.add_option("--threads", config.listen.threads, "worker threads (0: one per core)");
  app.add_option("--fault", config.faults, "a named fault for every connection (repeatable; see --list-faults)")
      ->delimiter(',');
  app.add_flag("--list-faults", list_faults, "print the faults this fake knows and exit");
  app.add_option("--protocol", protocol,
                 "SocketCluster protocol: v1 (remotedev-server 0.3.1: ping #1, pong #2) or v2 "
                 "(@redux-devtools/cli 5.0.0: empty ping and pong)")
      ->capture_default_str();
  app.add_option("--ping-interval", ping_interval, "a ping this often, from the opening (8s, 500ms, or ms)")
      ->capture_default_str();
  app.add_option("--ping-timeout", ping_timeout,
                 "silence before close 4001, announced as pingTimeout in the handshake answer "
                 "(default: v1 20s, v2 30s)");
  app.add_option("--handshake-timeout", handshake_timeout, "no #handshake by then: close 4005")
      ->capture_default_str();
  app.add_option("--max-message", config.max_message, "largest inbound frame in bytes (above: close 1009)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "drover fake remotedev: %s\n", e.what());
    return static_cast<int>(exit_code::usage);
  }
  if (list_faults) {
    std::cout << format_fault_table(remotedev_faults());
    return 0;
  }
  try {
    config.protocol = parse_socketcluster_protocol(protocol);
    config.ping_interval = parse_duration(ping_interval);
    config.handshake_timeout = parse_duration(handshake_timeout);
    if (!ping_timeout.empty()) {
      config.ping_timeout = parse_duration(ping_timeout);
      if (config.ping_timeout.count() <= 0) throw usage_error("--ping-timeout must be above 0");
    }
    return serve([&] { return start_remotedev(config); });
  } catch (const usage_error& e) {
    std::fprintf(stderr, "drover fake remotedev: %s\n", e.what());
    return static_cast<int>(exit_code::usage);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drover fake remotedev: internal error: %s\n", e.what());
    return static_cast<int>(exit_code::internal);
  }
}

}  // namespace drover::fakes
