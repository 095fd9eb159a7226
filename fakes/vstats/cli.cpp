#include "fakes/vstats/cli.hpp"

#include <CLI/CLI.hpp>

#include "harness/common/duration.hpp"

namespace drover::fakes {

void add_vstats_options(CLI::App& app, vstats_cli& cli) {
  app.add_option("--tokens", cli.config.tokens_file,
                 "agent token file {\"TOKEN\":{\"server_id\":ID,\"name\":N,\"location\":L}} "
                 "(default: self-describing agent:SERVER_ID)");
  app.add_option("--ping-interval", cli.ping_interval,
                 "ping every connection this often; no pong by the next ping: dropped (ms, or 30s)")
      ->capture_default_str();
  app.add_option("--report-interval", cli.report_interval, "the agents' report period (ms, or 5s)")
      ->capture_default_str();
  app.add_option("--missed-reports", cli.config.missed_reports, "silent periods before status offline")
      ->capture_default_str();
  app.add_option("--dialect", cli.config.dialect,
                 "documented, or real: in-band auth, snapshot and deltas (--list-faults after it lists its faults)")
      ->capture_default_str();
  app.add_option("--delta-interval", cli.delta_interval, "real dialect: a delta this often (ms, or 5s)")
      ->capture_default_str();
}

const fault_table& vstats_cli_faults(const vstats_cli& cli) {
  return cli.config.dialect == "real" ? vstats_real_faults() : vstats_faults();
}

std::unique_ptr<fake_server> start_vstats_cli(vstats_cli& cli, const listen_options& listen,
                                              const std::vector<std::string>& faults) {
  cli.config.listen = listen;
  cli.config.faults = faults;
  cli.config.ping_interval = parse_duration(cli.ping_interval);
  cli.config.report_interval = parse_duration(cli.report_interval);
  cli.config.delta_interval = parse_duration(cli.delta_interval);
  return start_vstats(cli.config);
}

}  // namespace drover::fakes
