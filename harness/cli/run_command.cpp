#include "harness/cli/run_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include <optional>
#include <set>

#include "harness/cli/message_validation.hpp"
#include "harness/cli/run_outcome.hpp"
#include "harness/common/error.hpp"
#include "harness/export/prometheus_remote_write.hpp"
#include "harness/protocols/protocol_catalog.hpp"
#include "harness/protocols/secrets.hpp"
#include "harness/reporting/hlog_writer.hpp"
#include "harness/reporting/json_lines_sink.hpp"
#include "harness/reporting/result_document.hpp"
#include "harness/reporting/timeseries.hpp"
#include "harness/reporting/writers.hpp"
#include "harness/runner/control_script.hpp"
#include "harness/runner/run_controller.hpp"

#ifndef DROVER_VERSION
#define DROVER_VERSION "0.0.0"
#endif

namespace drover::cli {

namespace {

// The values of secret --env keys, masked wherever they occur; _CMD and _FILE name a command or
// a file, not a secret.
std::set<std::string> secret_env_values(const std::vector<std::pair<std::string, std::string>>& env) {
  std::set<std::string> out;
  for (const auto& [key, value] : env) {
    if (key.ends_with("_CMD") || key.ends_with("_FILE")) continue;
    if (reporting::is_secret_env_key(key) && !value.empty()) out.insert(value);
  }
  return out;
}

// While it lives, what drover prints during the run is redacted (unless --show-secrets).
struct log_redaction {
  std::optional<protocols::redactor> redactor;
  explicit log_redaction(bool show) {
    if (show) return;
    redactor.emplace(protocols::load_secret_rules(protocols::default_schemas_root()));
    protocols::set_log_redactor(&*redactor);
  }
  ~log_redaction() { protocols::set_log_redactor(nullptr); }
  log_redaction(const log_redaction&) = delete;
  log_redaction& operator=(const log_redaction&) = delete;
};

int run_and_report(const run_command_args& args, const std::atomic<int>& interrupts, const log_redaction& redaction) {
  std::map<std::string, std::string> env;
  for (const auto& [k, v] : args.flags.env) env[k] = v;
  runner::control_script control(args.scenario, env,
                                 args.flags.allow_unsafe_lua ? scenario::lua_policy::unsafe : scenario::lua_policy::sandboxed);
  runner::run_config config =
      runner::resolve_config(args.scenario, control.options(), args.flags, std::thread::hardware_concurrency());
  if (config.target.empty() && !args.flags.quiet)
    std::fprintf(stderr, "drover: note: no target set (--target or options.target); ws.connect() needs a URL\n");

  message_validation validation_setup(config);
  runner::hooks_factory hooks = validation_setup.hooks();

  // Results over time: summary.json's time series and the streaming outputs, one line each.
  // Files are opened here, before setup() and the run, so a bad path fails before any load.
  const bool conform = args.command == "conform";
  runner::run_outputs outputs;
  std::optional<reporting::timeseries_table> timeseries;
  std::optional<reporting::json_lines_sink> out_json;
  std::optional<reporting::hlog_writer> hlog;
  std::optional<exporting::prometheus_remote_write> prometheus_rw;
  if (!conform) {
    outputs.interval = args.interval;
    timeseries.emplace(args.interval);
    outputs.sinks.push_back(&*timeseries);
    if (!args.out_json.empty())
      outputs.sinks.push_back(&out_json.emplace(args.out_json, config.scenarios.empty()));
    if (!args.hlog.empty()) outputs.sinks.push_back(&hlog.emplace(args.hlog));
    if (!args.prometheus_rw.empty())
      outputs.sinks.push_back(&prometheus_rw.emplace(exporting::prometheus_rw_settings_for(
          args.prometheus_rw, args.prometheus_labels, config.tls.ca_file, config.quiet)));
  }

  std::string setup_data = control.run_setup();
  if (!config.quiet) {
    std::string model(runner::executor_name(config.model.kind));
    if (runner::is_arrival_rate(config.model.kind))
      model += ", pool " + std::to_string(config.model.pre_allocated_vus) + ".." + std::to_string(config.model.max_vus);
    if (!config.scenarios.empty()) {
      model = "mixed fleet:";
      for (const auto& sc : config.scenarios)
        model += std::string(&sc == &config.scenarios.front() ? " " : ", ") + sc.scenario_name + " " +
                 std::string(runner::executor_name(sc.model.kind));
    }
    if (config.shard_count > 1)
      model += ", shard " + std::to_string(config.shard_index + 1) + "/" + std::to_string(config.shard_count);
    std::fprintf(stderr, "drover: running %s (%s): %d client(s) on %d worker(s) for up to %llds against %s\n",
                 args.scenario.c_str(), model.c_str(), config.vus, config.workers,
                 static_cast<long long>(config.duration.count() / 1000),
                 config.target.empty() ? "(no target)" : protocols::redact_log(config.target).c_str());
  }
  runner::run_result result = runner::execute_run(config, setup_data, interrupts, hooks, outputs);
  if (prometheus_rw) prometheus_rw->add_failures_to(result.merged);
  std::optional<boost::json::object> validation = validation_setup.section();

  boost::json::array cases = collect_cases(result.case_results);
  if (conform && cases.empty() && !result.interrupted)
    throw usage_error("no conformance case ran (does --case match any case id or group?)");
  reporting::outcome outcome = conform ? decide_conform_outcome(result, cases) : decide_outcome(result);
  try {
    control.run_teardown(setup_data);
  } catch (const scenario_error& e) {
    std::fprintf(stderr, "drover: %s\n", protocols::redact_log(e.what()).c_str());
    result.merged.add_error("lua_error", e.what(), false);
    if (outcome.exit_code == 0) outcome = {1, "error", "teardown() failed"};
  }

  reporting::run_info info;
  info.tool_version = DROVER_VERSION;
  info.command = args.command;
  info.scenario = args.scenario;
  info.target = config.target;
  info.protocol = config.protocol;
  info.vus = config.vus;
  info.workers = config.workers;
  info.duration = config.duration;
  info.ramp_up = config.ramp_up;
  info.graceful_stop = config.graceful_stop;
  info.env = args.flags.env;
  info.started_at = result.started_at;
  info.ended_at = result.ended_at;
  info.elapsed_seconds = result.elapsed_seconds;
  info.interrupted = result.interrupted;
  info.vus_started = result.vus_started;
  info.vus_connected = result.vus_connected;
  info.secrets_shown = args.flags.show_secrets;
  if (!conform) info.executor = std::string(runner::executor_name(config.model.kind));
  if (!config.scenarios.empty()) info.executor.clear();  // each scenario has its own: run.scenarios
  for (const auto& sc : config.scenarios)
    info.scenarios.push_back({sc.scenario_name, std::string(runner::executor_name(sc.model.kind)),
                              sc.exec.empty() ? "client" : sc.exec, sc.tags, sc.start_time, sc.duration, sc.vus});
  if (args.flags.shard_count) {
    info.shard_index = config.shard_index + 1;
    info.shard_count = config.shard_count;
  }
  std::optional<boost::json::object> series;
  if (timeseries && !timeseries->empty()) series = timeseries->to_json();
  auto doc = reporting::build_result_document(info, result.merged, result.thresholds, outcome,
                                                  validation ? &*validation : nullptr,
                                                  conform ? &cases : nullptr, series ? &*series : nullptr);
  // One place for every writer: they all read this document.
  if (redaction.redactor) {
    boost::json::value whole(std::move(doc));
    redaction.redactor->redact_document(whole, secret_env_values(args.flags.env));
    doc = std::move(whole.get_object());
  }

  std::cout << reporting::render_console(doc, isatty(STDOUT_FILENO) != 0) << std::flush;
  reporting::write_outputs(doc, args.out_dir);
  if (!config.quiet) std::fprintf(stderr, "drover: report written to %s/report.html\n", args.out_dir.c_str());
  return outcome.exit_code;
}

}  // namespace

int run_command(const run_command_args& args, const std::atomic<int>& interrupts) {
  log_redaction redaction(args.flags.show_secrets);
  try {
    return run_and_report(args, interrupts, redaction);
  } catch (const usage_error& e) {
    // The CLI prints it after the run: a bad URL or a Lua error may quote a token.
    throw usage_error(protocols::redact_log(e.what()));
  }
}

}  // namespace drover::cli
