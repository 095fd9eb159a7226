#include "fakes/hostile/cli.hpp"

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "fakes/common/cli_support.hpp"
#include "fakes/hostile/hostile_server.hpp"
#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

int hostile_main(int argc, char** argv, serve_function serve) {
  CLI::App app("drover fake hostile: a server that breaks one rule of TCP, TLS or WebSocket for every connection",
               "drover fake hostile");
  hostile_config config;
  config.listen.threads = 1;  // one is plenty; the modes are about bytes, not load
  std::string max_life = "60s";
  bool list_modes = false;
  app.add_option("--mode", config.mode, "what to do wrong (see --list-modes)");
  app.add_option("--port", config.listen.port, "TCP port (0: pick a free one)");
  app.add_option("--host", config.listen.host, "address to listen on")->capture_default_str();
  app.add_option("--threads", config.listen.threads, "worker threads (0: one per core)")->capture_default_str();
  app.add_option("--max-life", max_life, "a connection is closed after this at the latest (ms, or 60s)")
      ->capture_default_str();
  app.add_option("--cert-out", config.cert_out, "tls-expired, tls-wrong-host: write the certificate (PEM) here");
  app.add_flag("--list-modes", list_modes, "print the modes (what each does, what drover must report) and exit");
  const std::string program = "drover fake hostile";
  if (auto done = parse_fake_flags(app, argc, argv, program)) return *done;
  if (list_modes) {
    std::cout << format_hostile_modes();
    return 0;
  }
  return run_fake(program, [&] {
    if (config.mode.empty()) throw usage_error("--mode is required (see --list-modes)");
    config.max_life = parse_duration(max_life);
    return serve([&] { return start_hostile(config); });
  });
}

}  // namespace drover::fakes
