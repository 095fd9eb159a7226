#include "fakes/fake_main.hpp"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "fakes/datakraken/cli.hpp"
#include "fakes/common/cli_support.hpp"
#include "fakes/echo/echo_server.hpp"
#include "fakes/hostile/cli.hpp"
#include "fakes/remotedev/cli.hpp"
#include "fakes/vstats/cli.hpp"
#include "fakes/wearable/wearable_server.hpp"
#include "fakes/widb/widb_server.hpp"
#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {

namespace {

// Serves until SIGINT or SIGTERM, then stops the server (1001 to everyone) and returns 0.
int serve_until_signal(const std::function<std::unique_ptr<fake_server>()>& start) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  // Blocked before the workers start so that they inherit the mask and only sigwait sees them.
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  std::unique_ptr<fake_server> server;
  try {
    server = start();
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw;
  }
  std::printf("%s\n", server->listening_line().c_str());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  server->stop();
  server.reset();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return 0;
}

}  // namespace

int fake_main(int argc, char** argv) {
  std::string name = argc > 0 && argv[0] ? argv[0] : "";
  if (name == "hostile") return hostile_main(argc, argv, serve_until_signal);
  if (name == "remotedev") return remotedev_main(argc, argv, serve_until_signal);
  if (name == "datakraken") return datakraken_main(argc, argv, serve_until_signal);
  if (name != "echo" && name != "wearable" && name != "widb" && name != "vstats") {
    std::fprintf(stderr, "drover fake: unknown fake '%s' (known: echo, wearable, widb, vstats, datakraken, remotedev, hostile)\n", name.c_str());
    return static_cast<int>(exit_code::usage);
  }
  bool is_echo = name == "echo";
  bool is_widb = name == "widb";
  bool is_vstats = name == "vstats";
  const fault_table& faults_table = is_echo ? echo_faults() : is_widb ? widb_faults() : is_vstats ? vstats_faults() : wearable_faults();
  CLI::App app(is_echo   ? "drover fake echo: acks JSON objects that carry an \"id\", echoes everything else"
               : is_widb ? "drover fake widb: WiDB mobile log streaming (docs/protocols/widb.md)"
               : is_vstats ? "drover fake vstats: vStats server monitoring, dashboards and agents (docs/protocols/vstats.md)"
                         : "drover fake wearable: the wearable health stream (docs/protocols/wearable.md)",
               "drover fake " + name);
  listen_options listen;
  std::vector<std::string> faults;
  bool list_faults = false;
  add_listen_and_fault_flags(app, listen, faults, list_faults);
  wearable_config wearable;
  std::string heartbeat = "40000", identify = "15000";
  widb_config widb;
  if (is_widb) {
    app.add_option("--path", widb.path, "the WebSocket endpoint (other paths: HTTP 404)")->capture_default_str();
    app.add_option("--max-message", widb.max_message, "largest inbound frame in bytes (above: close 1009)")
        ->capture_default_str();
    app.add_option("--entries", widb.entries,
                   "logData entries: objects (one parsed object per line) or html (the real server's merged rows)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, widb_config::entry_style>{{"objects", widb_config::entry_style::objects},
                                                            {"html", widb_config::entry_style::html}}));
  }
  std::string fault_after = "0";
  if (is_echo) {
    app.add_option("--fault-after", fault_after,
                   "the --fault faults start this long after the fake starts (e.g. 3s; also on connections "
                   "already open); before, it is correct")
        ->capture_default_str();
  }
  vstats_cli vstats;
  if (is_vstats) add_vstats_options(app, vstats);
  if (name == "wearable") {
    app.add_option("--tokens", wearable.tokens_file,
                   "token file {\"TOKEN\":{\"role\":\"producer\"|\"consumer\",\"developer\":D,\"user\":U}} "
                   "(default: self-describing dev:DEV:NONCE and user:DEV:USER:NONCE)");
    app.add_option("--heartbeat-interval", heartbeat, "heartbeat_interval sent in HELLO (ms, or 40s)")
        ->capture_default_str();
    app.add_option("--identify-timeout", identify, "IDENTIFY deadline before close 4000 (ms, or 15s)")
        ->capture_default_str();
    app.add_option("--consumer-limit", wearable.consumer_limit, "consumers per developer (one more: 4002)")
        ->capture_default_str();
    app.add_option("--history", wearable.history_limit, "DISPATCHes kept per developer for REPLAY")
        ->capture_default_str();
  }
  const std::string program = "drover fake " + name;
  if (auto done = parse_fake_flags(app, argc, argv, program)) return *done;
  if (list_faults) {
    std::cout << format_fault_table(is_vstats ? vstats_cli_faults(vstats) : faults_table);
    return 0;
  }
  return run_fake(program, [&] {
    if (is_echo) {
      echo_config config{listen, faults, parse_duration(fault_after)};
      return serve_until_signal([&] { return start_echo(config); });
    }
    if (is_vstats) return serve_until_signal([&] { return start_vstats_cli(vstats, listen, faults); });
    if (is_widb) {
      widb.listen = listen;
      widb.faults = faults;
      return serve_until_signal([&] { return start_widb(widb); });
    }
    wearable.listen = listen;
    wearable.faults = faults;
    wearable.heartbeat_interval = parse_duration(heartbeat);
    wearable.identify_timeout = parse_duration(identify);
    return serve_until_signal([&] { return start_wearable(wearable); });
  });
}

}  // namespace drover::fakes
