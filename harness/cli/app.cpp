#include "harness/cli/app.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <set>

#include <CLI/CLI.hpp>
#include <boost/version.hpp>
#include <lua.hpp>
#include <openssl/opensslv.h>

#include "fakes/fake_main.hpp"
#include "harness/cli/report_command.hpp"
#include "harness/cli/run_command.hpp"
#include "harness/common/data_root.hpp"
#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"
#include "harness/protocols/commands.hpp"

#ifndef DROVER_VERSION
#define DROVER_VERSION "0.0.0"
#endif

namespace drover::cli {

namespace {

std::atomic<int> interrupts{0};

extern "C" void on_interrupt(int) { interrupts.fetch_add(1); }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// A CLI11 option that takes a duration ("30s") and stores it parsed.
CLI::Option* add_duration(CLI::App* app, const std::string& name, std::optional<std::chrono::milliseconds>& target,
                          const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name, [&target, name](const std::string& text) { target = parse_duration(text); }, help)
      ->type_name("DURATION");
}

// parse_duration's message does not name the flag; this one does.
std::chrono::milliseconds parse_flag_duration(const char* flag, const std::string& text) {
  try {
    return parse_duration(text);
  } catch (const usage_error& e) {
    throw usage_error(std::string(flag) + ": " + e.what());
  }
}

std::pair<std::string, std::string> split_pair(const std::string& text, char sep, const char* flag) {
  auto at = text.find(sep);
  if (at == std::string::npos || at == 0)
    throw usage_error(std::string(flag) + " expects " + (sep == '=' ? "KEY=VALUE" : "\"Name: value\"") + ", got '" +
                      text + "'");
  std::string value = text.substr(at + 1);
  if (sep == ':' && !value.empty() && value.front() == ' ') value.erase(0, 1);
  return {text.substr(0, at), value};
}

// The workload model's flags (runner/executor_config.hpp); a bad value is a usage error that
// names the flag.
void add_workload_flags(CLI::App* run, runner::cli_overrides& f) {
  run->add_option_function<std::string>(
         "--executor", [&f](const std::string& v) { f.model.executor = v; },
         "Workload model: constant-vus (default), ramping-vus, constant-arrival-rate, ramping-arrival-rate, "
         "per-vu-iterations")
      ->type_name("NAME");
  run->add_option_function<std::string>(
         "--rate",
         [&f](const std::string& v) {
           std::size_t used = 0;
           double r = -1;
           try {
             r = std::stod(v, &used);
           } catch (const std::exception&) {
             used = 0;
           }
           if (used != v.size() || !(r > 0) || r > 1e9) throw usage_error("--rate expects a number above 0, got '" + v + "'");
           f.model.rate = r;
         },
         "Arrival-rate models: iterations per --time-unit (ramping-arrival-rate: the start rate)")
      ->type_name("N");
  run->add_option_function<std::string>(
         "--time-unit",
         [&f](const std::string& v) {
           auto d = parse_flag_duration("--time-unit", v);
           if (d.count() <= 0) throw usage_error("--time-unit must be longer than 0");
           f.model.time_unit = d;
         },
         "The unit of --rate and of the stages' rates (default 1s)")
      ->type_name("DURATION");
  auto count = [](const char* flag, std::optional<int>& target) {
    return [flag, &target](const std::string& v) {
      std::size_t used = 0;
      long long n = -1;
      try {
        n = std::stoll(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || n < 1 || n > 10'000'000)
        throw usage_error(std::string(flag) + " expects a whole number from 1 to 10000000, got '" + v + "'");
      target = static_cast<int>(n);
    };
  };
  run->add_option_function<std::string>("--pre-allocated-vus", count("--pre-allocated-vus", f.model.pre_allocated_vus),
                                        "Arrival-rate models: clients created before the start")
      ->type_name("N");
  run->add_option_function<std::string>("--max-vus", count("--max-vus", f.model.max_vus),
                                        "Arrival-rate models: the most clients the pool grows to")
      ->type_name("N");
  run->add_option_function<std::vector<std::string>>(
         "--stage",
         [&f](const std::vector<std::string>& v) {
           for (const auto& text : v) f.model.stages.push_back(runner::parse_stage_flag(text));
         },
         "DURATION:TARGET, repeatable: ramping-vus clients or ramping-arrival-rate rate at the stage's end")
      ->type_name("DURATION:TARGET")
      ->allow_extra_args(false);  // one value per --stage; the scenario file stays positional
  run->add_option_function<std::string>(
         "--shard",
         [&f](const std::string& v) {
           auto slash = v.find('/');
           int i = 0, n = 0;
           std::size_t used_i = 0, used_n = 0;
           try {
             if (slash != std::string::npos) {
               i = std::stoi(v.substr(0, slash), &used_i);
               n = std::stoi(v.substr(slash + 1), &used_n);
             }
           } catch (const std::exception&) {
             used_i = 0;
           }
           if (slash == std::string::npos || used_i != slash || used_n != v.size() - slash - 1 || n < 1 || n > 10000 ||
               i < 1 || i > n)
             throw usage_error("--shard expects i/N with 1 <= i <= N (e.g. 2/3), got '" + v + "'");
           f.shard_index = i - 1;
           f.shard_count = n;
         },
         "Run the i-th of N equal shares of the test (clients, pools, arrival rate; ids stay unique)")
      ->type_name("i/N");
}

std::string version_text() {
  return std::string("drover ") + DROVER_VERSION + " (Boost " + std::to_string(BOOST_VERSION / 100000) + "." +
         std::to_string(BOOST_VERSION / 100 % 1000) + ", " + LUA_RELEASE + ", " + OPENSSL_VERSION_TEXT + ")";
}

// Where scenarios/ and schemas/ live: $DROVER_ROOT, the installed share/drover, the source tree.
std::string source_root() { return data_root().string(); }

int fail(const std::string& message, exit_code code) {
  std::fprintf(stderr, "drover: error: %s\n", message.c_str());
  return static_cast<int>(code);
}

}  // namespace

int run_app(int argc, char** argv) {
  // `drover fake NAME ...` hands its arguments to the fake untouched (it waits for its own
  // signals with sigwait, so our handlers are not installed for it).
  if (argc >= 2 && std::strcmp(argv[1], "fake") == 0) {
    if (argc < 3 || std::strcmp(argv[2], "--help") == 0 || std::strcmp(argv[2], "-h") == 0) {
      std::printf("usage: drover fake NAME [--port P] [--fault NAME]... [--help]\nfakes: echo, wearable, widb, vstats, hostile (--mode NAME)\n");
      return argc < 3 ? 2 : 0;
    }
    return fakes::fake_main(argc - 2, argv + 2);
  }
  if (argc >= 2 && std::strcmp(argv[1], "report") == 0) return report_main(argc - 2, argv + 2);  // report_command.hpp
  install_signal_handlers();

  static const std::set<std::string> commands = {"run", "conform", "validate", "protocols", "fake", "version"};
  if (argc >= 2 && argv[1][0] != '-' && !commands.count(argv[1]))
    return fail(std::string("unknown command '") + argv[1] + "' (commands: run, conform, validate, protocols, fake, report, version)",
                exit_code::usage);

  CLI::App app{"drover: conformance and load testing for JSON-over-WebSocket protocols", "drover"};
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 checks/thresholds failed, 2 usage error, 3 target unreachable, 4 internal error, "
             "130 interrupted.\nMore: drover SUBCOMMAND --help; drover report merge --help (merge shards' results); "
             "drover report compare --help (compare with a baseline, CI gates)");

  run_command_args run_args;
  auto& f = run_args.flags;
  std::vector<std::string> env_pairs, header_pairs;
  std::optional<std::chrono::milliseconds> duration, ramp_up, graceful_stop, connect_timeout;
  auto* run = app.add_subcommand("run", "Run a Lua scenario against a target");
  run->add_option("scenario", run_args.scenario, "Scenario file (.lua)")->required()->check(CLI::ExistingFile);
  run->add_option("--target", f.target, "WebSocket URL (ws:// or wss://) the clients connect to");
  run->add_option("--vus", f.vus, "Simulated clients")->check(CLI::Range(1, 10'000'000));
  add_duration(run, "--duration", duration, "Run length, ramp-up included (e.g. 30s, 2m)");
  add_duration(run, "--ramp-up", ramp_up, "Time over which clients start, evenly spread");
  add_duration(run, "--graceful-stop", graceful_stop, "Time clients get to finish after the run's end (default 5s)");
  run->add_option("--iterations", f.iterations, "Iterations per client (default: until the duration ends)")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--workers", f.workers, "Worker threads (default: one per core)")->check(CLI::Range(1, 256));
  add_workload_flags(run, f);
  run->add_option("--out", run_args.out_dir, "Directory for summary.json, report.html and junit.xml")
      ->capture_default_str();
  run->add_option("--env", env_pairs, "KEY=VALUE exposed to the scenario as env.KEY (repeatable)");
  run->add_option("--header", header_pairs, "\"Name: value\" added to every WebSocket upgrade (repeatable)");
  run->add_option("--source-ips", f.source_ips,
                  "Local addresses the connections come from, in turn: 127.0.0.2-127.0.0.20, 127.0.0.0/27, ::1, "
                  "comma lists (more than ~28,000 sessions against one target)")
      ->type_name("ADDRS");
  run->add_flag("--quiet,-q", f.quiet, "No progress lines or script logs");
  run->add_flag("--show-secrets", f.show_secrets, "Keep tokens, API keys, tickets and auth headers in the outputs");
  run->add_flag("--allow-unsafe-lua", f.allow_unsafe_lua,
                "Let the scenario run processes and write files (os.execute, io.popen, io.open for writing, ...)");
  run->add_flag("--insecure", f.tls.insecure, "Do not verify TLS certificates (wss://)");
  run->add_option("--ca", f.tls.ca_file, "Extra CA certificates (PEM) to trust for wss://")->check(CLI::ExistingFile);
  run->add_option("--max-message", f.max_message, "Largest inbound message in bytes (default 16 MiB)")
      ->check(CLI::PositiveNumber);
  add_duration(run, "--connect-timeout", connect_timeout, "Limit for connecting and for the upgrade (default 10s)");
  run->add_option("--protocol", f.protocol, "Protocol whose schemas validate every message (see drover protocols)");
  run->add_option("--dialect", f.dialect, "Protocol dialect (default: the protocol's first)");
  run->add_option("--validate", f.validate, "Message validation: all, sample:N or off")->type_name("MODE");
  // Results over time (summary.json "timeseries" and the streaming outputs below).
  run->add_option_function<std::string>(
         "--interval",
         [&run_args](const std::string& v) {
           auto d = parse_flag_duration("--interval", v);
           if (d < std::chrono::milliseconds(100))
             throw usage_error("--interval must be at least 100ms, got '" + v + "'");
           run_args.interval = d;
         },
         "Length of one interval of the results over time (default 1s, at least 100ms)")
      ->type_name("DURATION");
  run->add_option("--out-json", run_args.out_json,
                  "Also stream each interval's metrics to FILE as JSON lines (k6's --out json format; tail -f it)")
      ->type_name("FILE");
  run->add_option("--hlog", run_args.hlog,
                  "Also write every trend's interval histograms to FILE as an HdrHistogram log (V2 compressed, "
                  "tag = trend name with ',' as ';'; values in us for ms trends)")
      ->type_name("FILE");
  auto* prometheus_rw = run->add_option(
      "--prometheus-rw", run_args.prometheus_rw,
      "Also send each interval's metrics to a Prometheus remote write receiver (e.g. "
      "http://127.0.0.1:9090/api/v1/write; drover_* series, see README 'Outputs: Prometheus'); a failed write "
      "is reported, never fails the run");
  prometheus_rw->type_name("URL");
  run->add_option("--prometheus-label", run_args.prometheus_labels,
                  "KEY=VALUE label on every --prometheus-rw series, e.g. testid=nightly-42 (repeatable)")
      ->type_name("KEY=VALUE")
      ->needs(prometheus_rw);

  run_command_args conform_args;
  conform_args.command = "conform";
  std::string conform_protocol, token_file, token_cmd, case_pattern, suite_file, conform_version;
  std::vector<std::string> conform_env;
  auto& cf = conform_args.flags;
  auto* conform = app.add_subcommand("conform", "Run a protocol's conformance suite against a server");
  conform->add_option("protocol", conform_protocol, "Protocol (wearable, ...)")->required();
  conform->add_option("--target", cf.target, "WebSocket URL of the server under test")->required();
  conform->add_option("--token-file", token_file, "Tokens to use instead of self-describing ones (see the suite's README)")
      ->check(CLI::ExistingFile);
  conform->add_option("--token-cmd", token_cmd, "Command that prints a fresh token; called with ROLE DEVELOPER [USER]");
  conform->add_option("--case", case_pattern, "Cases to run: ids with * (\"2.*\"), groups, comma lists");
  conform->add_option("--suite", suite_file, "Suite file (default: scenarios/PROTOCOL/suite.lua)")
      ->check(CLI::ExistingFile);
  conform->add_option("--out", conform_args.out_dir, "Directory for summary.json, report.html and junit.xml")
      ->capture_default_str();
  conform->add_option("--env", conform_env, "KEY=VALUE exposed to the suite as env.KEY (repeatable)");
  conform->add_option("--dialect", cf.dialect, "Protocol dialect to check (e.g. vstats: documented or real); env.DIALECT")
      ->type_name("NAME");
  conform->add_option("--protocol", conform_version,
                      "Protocol version to check, for suites that know several (remotedev: v1, v2 or auto, the "
                      "default); env.PROTOCOL")
      ->type_name("VERSION");
  conform->add_option("--workers", cf.workers, "Worker threads (default 1)")->check(CLI::Range(1, 256));
  conform->add_flag("--quiet,-q", cf.quiet, "No progress lines or script logs");
  conform->add_flag("--show-secrets", cf.show_secrets, "Keep tokens, API keys, tickets and auth headers in the outputs");
  conform->add_flag("--allow-unsafe-lua", cf.allow_unsafe_lua,
                    "Let the suite run processes and write files (--token-cmd needs no such permission)");
  conform->add_flag("--insecure", cf.tls.insecure, "Do not verify TLS certificates (wss://)");
  conform->add_option("--ca", cf.tls.ca_file, "Extra CA certificates (PEM) to trust for wss://")->check(CLI::ExistingFile);

  std::string validate_protocol, validate_direction = "auto", validate_dialect;
  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "Validate JSON messages against a protocol's schemas");
  validate->add_option("protocol", validate_protocol, "Protocol (see drover protocols)")->required();
  validate->add_option("files", validate_files, "JSON files, one message each; - reads one message per line from stdin")
      ->required();
  validate->add_option("--direction", validate_direction, "auto, client or server")->capture_default_str();
  validate->add_option("--dialect", validate_dialect, "Protocol dialect (default: the protocol's first)");
  auto* protocols_cmd = app.add_subcommand("protocols", "List the protocols, their messages and close codes");

  app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(e.what(), exit_code::usage);
  } catch (const usage_error& e) {
    return fail(e.what(), exit_code::usage);
  }

  try {
    if (app.got_subcommand("version")) {
      std::cout << version_text() << "\n";
      // Where schemas/ and scenarios/ come from (data_root.hpp): the first thing to check when
      // an installed drover finds the wrong suites.
      try {
        std::cout << "data: " << data_root().string() << "\n";
      } catch (const usage_error& e) {
        std::cout << "data: none (" << e.what() << ")\n";
      }
      return 0;
    }
    if (run->parsed()) {
      f.duration = duration;
      f.ramp_up = ramp_up;
      f.graceful_stop = graceful_stop;
      f.connect_timeout = connect_timeout;
      // env.TARGET: the --target URL, for scenarios that reach several paths of one server
      // (an --env TARGET=... given too comes later and wins).
      if (f.target) f.env.emplace_back("TARGET", *f.target);
      for (const auto& p : env_pairs) f.env.push_back(split_pair(p, '=', "--env"));
      for (const auto& p : header_pairs) f.headers.push_back(split_pair(p, ':', "--header"));
      return run_command(run_args, interrupts);
    }
    if (validate->parsed()) {
      auto catalog = protocols::protocol_catalog::load(protocols::default_schemas_root());
      return protocols::validate_command(catalog, validate_protocol, validate_files, validate_direction,
                                         validate_dialect, std::cout, std::cerr);
    }
    if (protocols_cmd->parsed()) {
      auto catalog = protocols::protocol_catalog::load(protocols::default_schemas_root());
      return protocols::protocols_command(catalog, std::cout);
    }
    if (conform->parsed()) {
      conform_args.scenario = suite_file.empty() ? source_root() + "/scenarios/" + conform_protocol + "/suite.lua" : suite_file;
      if (!std::filesystem::exists(conform_args.scenario))
        throw usage_error("no conformance suite for protocol '" + conform_protocol + "' (" + conform_args.scenario +
                          " does not exist)");
      if (!cf.workers) cf.workers = 1;
      if (cf.target) cf.env.emplace_back("TARGET", *cf.target);  // as for run: suites with several endpoints need it
      if (cf.dialect) cf.env.emplace_back("DIALECT", *cf.dialect);
      if (!conform_version.empty()) cf.env.emplace_back("PROTOCOL", conform_version);  // the suite checks the value
      for (const auto& p : conform_env) cf.env.push_back(split_pair(p, '=', "--env"));
      if (!token_file.empty()) cf.env.emplace_back("TOKEN_FILE", std::filesystem::absolute(token_file).string());
      if (!token_cmd.empty()) cf.env.emplace_back("TOKEN_CMD", token_cmd);
      if (!case_pattern.empty()) cf.env.emplace_back("CASE", case_pattern);
      return run_command(conform_args, interrupts);
    }
  } catch (const usage_error& e) {
    return fail(e.what(), exit_code::usage);
  } catch (const std::exception& e) {
    return fail(std::string("internal error: ") + e.what(), exit_code::internal);
  }
  return fail("no command given (try drover --help)", exit_code::usage);
}

}  // namespace drover::cli
