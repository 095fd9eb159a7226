#include "fakes/remotedev/cli.hpp"

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "fakes/common/cli_support.hpp"
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
  add_listen_and_fault_flags(app, config.listen, config.faults, list_faults);
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
  const std::string program = "drover fake remotedev";
  if (auto done = parse_fake_flags(app, argc, argv, program)) return *done;
  if (list_faults) {
    std::cout << format_fault_table(remotedev_faults());
    return 0;
  }
  return run_fake(program, [&] {
    config.protocol = parse_socketcluster_protocol(protocol);
    config.ping_interval = parse_duration(ping_interval);
    config.handshake_timeout = parse_duration(handshake_timeout);
    if (!ping_timeout.empty()) {
      config.ping_timeout = parse_duration(ping_timeout);
      if (config.ping_timeout.count() <= 0) throw usage_error("--ping-timeout must be above 0");
    }
    return serve([&] { return start_remotedev(config); });
  });
}

}  // namespace drover::fakes
