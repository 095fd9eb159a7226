#include "harness/cli/run_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include <filesystem>
#include <optional>

#include "harness/cli/run_outcome.hpp"
#include "harness/protocols/protocol.hpp"
#include "harness/protocols/protocol_catalog.hpp"
#include "harness/protocols/validation_stats.hpp"
#include "harness/common/error.hpp"
#include "harness/reporting/result_document.hpp"
#include "harness/reporting/writers.hpp"
#include "harness/runner/control_script.hpp"
#include "harness/runner/run_controller.hpp"

#ifndef DROVER_VERSION
#define DROVER_VERSION "0.0.0"
#endif

namespace drover::cli {

namespace {
// validation_stats speaks in valid/invalid and detail; the result document (schemas/harness)
// in count/invalid and message. Other fields (mode, skipped, unknown, counts) stay as they are.
boost::json::object validation_section(boost::json::object stats) {
  if (auto* messages = stats.if_contains("messages"); messages && messages->is_array()) {
    for (auto& m : messages->get_array()) {
      auto& o = m.as_object();
      auto number = [&o](const char* key) { return o.contains(key) ? o.at(key).to_number<std::int64_t>() : 0; };
      o["count"] = number("valid") + number("invalid");
    }
  }
  if (auto* violations = stats.if_contains("violations"); violations && violations->is_array()) {
    for (auto& v : violations->get_array()) {
      auto& o = v.as_object();
      if (!o.contains("message") && o.contains("detail")) o["message"] = o.at("detail");
    }
  }
  return stats;
}
}  // namespace

int run_command(const run_command_args& args, const std::atomic<int>& interrupts) {
  std::map<std::string, std::string> env;
  for (const auto& [k, v] : args.flags.env) env[k] = v;
  runner::control_script control(args.scenario, env);
  runner::run_config config =
      runner::resolve_config(args.scenario, control.options(), args.flags, std::thread::hardware_concurrency());
  if (config.target.empty() && !args.flags.quiet)
    std::fprintf(stderr, "drover: note: no target set (--target or options.target); ws.connect() needs a URL\n");

  // Validation: one protocol shared read-only by all workers, one stats object per worker.
  std::unique_ptr<protocols::protocol> protocol;
  std::vector<std::unique_ptr<protocols::validation_stats>> stats;
  runner::hooks_factory hooks;
  protocols::validate_mode mode = protocols::parse_validate_mode(config.validate);
  if (!config.protocol.empty() && mode.what != protocols::validate_mode::kind::off) {
    auto root = protocols::default_schemas_root();
    auto file = root / config.protocol / "protocol.json";
    if (!std::filesystem::exists(file))
      throw usage_error("unknown protocol '" + config.protocol + "' (no " + file.string() +
                        "; drover protocols lists them)");
    protocol = std::make_unique<protocols::protocol>(protocols::protocol::load(file));
    if (config.dialect.empty()) config.dialect = protocol->default_dialect();
    if (!protocol->has_dialect(config.dialect))
      throw usage_error("protocol " + config.protocol + " has no dialect '" + config.dialect + "'");
    for (int i = 0; i < config.workers; ++i)
      stats.push_back(std::make_unique<protocols::validation_stats>(config.protocol, config.dialect, mode));
    hooks = [&](int index) {
      runner::worker_hooks h;
      h.observe = [proto = protocol.get(), st = stats[static_cast<std::size_t>(index)].get(),
                   dialect = config.dialect](transport::direction d, std::string_view payload, bool) {
        if (!st->should_validate()) return;
        auto dir = d == transport::direction::sent ? protocols::direction::client : protocols::direction::server;
        st->record(dir, proto->validate(dir, payload, dialect));
      };
      return h;
    };
  }

  std::string setup_data = control.run_setup();
  if (!config.quiet)
    std::fprintf(stderr, "drover: running %s: %d client(s) on %d worker(s) for up to %llds against %s\n",
                 args.scenario.c_str(), config.vus, config.workers,
                 static_cast<long long>(config.duration.count() / 1000),
                 config.target.empty() ? "(no target)" : config.target.c_str());
  runner::run_result result = runner::execute_run(config, setup_data, interrupts, hooks);
  std::optional<boost::json::object> validation;
  if (!stats.empty()) {
    for (std::size_t i = 1; i < stats.size(); ++i) stats[0]->merge(*stats[i]);
    validation = validation_section(stats[0]->to_json());
  }

  const bool conform = args.command == "conform";
  boost::json::array cases = collect_cases(result.case_results);
  if (conform && cases.empty() && !result.interrupted)
    throw usage_error("no conformance case ran (does --case match any case id or group?)");
  reporting::outcome outcome = conform ? decide_conform_outcome(result, cases) : decide_outcome(result);
  try {
    control.run_teardown(setup_data);
  } catch (const scenario_error& e) {
    std::fprintf(stderr, "drover: %s\n", e.what());
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
  auto doc = reporting::build_result_document(info, result.merged, result.thresholds, outcome,
                                                  validation ? &*validation : nullptr,
                                                  conform ? &cases : nullptr);

  std::cout << reporting::render_console(doc, isatty(STDOUT_FILENO) != 0) << std::flush;
  reporting::write_outputs(doc, args.out_dir);
  if (!config.quiet) std::fprintf(stderr, "drover: report written to %s/report.html\n", args.out_dir.c_str());
  return outcome.exit_code;
}

}  // namespace drover::cli
