#include "harness/runner/run_config.hpp"

#include <algorithm>
#include <string_view>

#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"
#include "harness/common/url.hpp"

namespace drover::runner {

template <class T>
static T pick(const std::optional<T>& flag, const std::optional<T>& option, T fallback) {
  if (flag) return *flag;
  if (option) return *option;
  return fallback;
}

std::string tag_list(const run_config& scenario) {
  metrics::tagged_name t;
  t.tags = scenario.tags;
  t.tags["scenario"] = scenario.scenario_name;
  std::string full = metrics::canonical_tagged_name(t);  // "{...}": the metric name is empty
  return full.substr(1, full.size() - 2);
}

namespace {

run_config resolve_one(const std::string& scenario_path, const scenario::scenario_options& options,
                       const cli_overrides& flags, unsigned hardware_threads);

// options.scenarios: each scenario resolved as a file of its own (its model keys, the shared
// settings of the top level), then the run-wide config around them.
run_config resolve_fleet(const std::string& scenario_path, const scenario::scenario_options& options,
                         const cli_overrides& flags, unsigned hardware_threads) {
  // A model flag would have to pick a scenario; naming the mistake beats guessing.
  const std::pair<bool, const char*> model_flags[] = {
      {flags.vus.has_value(), "--vus"}, {flags.duration.has_value(), "--duration"},
      {flags.ramp_up.has_value(), "--ramp-up"}, {flags.iterations.has_value(), "--iterations"},
      {flags.model.executor.has_value(), "--executor"}, {flags.model.rate.has_value(), "--rate"},
      {flags.model.time_unit.has_value(), "--time-unit"},
      {flags.model.pre_allocated_vus.has_value(), "--pre-allocated-vus"},
      {flags.model.max_vus.has_value(), "--max-vus"}, {!flags.model.stages.empty(), "--stage"}};
  for (const auto& [given, name] : model_flags)
    if (given)
      throw usage_error(std::string(name) + " does not apply to a file with options.scenarios (each scenario sets "
                                            "its own workload model in options.scenarios.NAME)");
  const std::pair<bool, const char*> model_options[] = {
      {options.vus.has_value(), "vus"}, {options.duration.has_value(), "duration"},
      {options.ramp_up.has_value(), "ramp_up"}, {options.iterations.has_value(), "iterations"},
      {options.executor.has_value(), "executor"}, {options.rate.has_value(), "rate"},
      {options.start_rate.has_value(), "start_rate"}, {!options.stages.empty(), "stages"},
      {options.pre_allocated_vus.has_value(), "pre_allocated_vus"}, {options.max_vus.has_value(), "max_vus"},
      {options.start_vus.has_value(), "start_vus"}, {options.max_duration.has_value(), "max_duration"},
      {options.time_unit.has_value(), "time_unit"}};
  // Weights split the top level's vus (the fleet's total) between the scenarios: then that
  // vus is the one model key allowed beside options.scenarios.
  bool weighted = false;
  for (const auto& sc : options.scenarios) weighted = weighted || sc.weight.has_value();
  for (const auto& [given, name] : model_options)
    if (given && !(weighted && std::string_view(name) == "vus"))
      throw usage_error(scenario_path + ": options." + name +
                        " sits beside options.scenarios: move it into the scenario(s) it is meant for");

  cli_overrides base = flags;
  base.workers.reset();
  // The shard is checked per scenario below (each must have a client in every shard).
  base.shard_index.reset();
  base.shard_count.reset();
  // The run-wide settings: the top level's shared keys with no model of its own.
  scenario::scenario_options shared;
  shared.target = options.target;
  shared.connect_timeout = options.connect_timeout;
  shared.recv_timeout = options.recv_timeout;
  shared.max_message = options.max_message;
  shared.protocol = options.protocol;
  shared.dialect = options.dialect;
  shared.validate = options.validate;
  shared.graceful_stop = options.graceful_stop;
  shared.thresholds = options.thresholds;
  run_config c = resolve_one(scenario_path, shared, base, hardware_threads);
  std::map<std::string, int> weighted_vus;
  if (weighted) {
    if (!options.vus)
      throw usage_error(scenario_path + ": options.scenarios.*.weight needs options.vus (the fleet's total to split)");
    double sum = 0;
    for (const auto& sc : options.scenarios) {
      const std::string at = "options.scenarios." + sc.name + ".";
      if (!sc.weight) throw usage_error(at + "weight is missing (when one scenario has a weight, all need one)");
      if (sc.model.vus) throw usage_error(at + "vus and a weight are both given (the weight splits options.vus)");
      if (sc.model.executor && *sc.model.executor != "constant-vus" && *sc.model.executor != "per-vu-iterations")
        throw usage_error(at + "weight applies to constant-vus and per-vu-iterations, not " + *sc.model.executor);
      sum += *sc.weight;
    }
    // Largest remainder: the shares add up to options.vus exactly.
    std::vector<std::pair<double, std::string>> remainders;
    int given = 0;
    for (const auto& sc : options.scenarios) {
      double exact = *options.vus * *sc.weight / sum;
      int n = static_cast<int>(exact);
      weighted_vus[sc.name] = n;
      given += n;
      remainders.emplace_back(exact - n, sc.name);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; given < *options.vus && i < remainders.size(); ++i, ++given) ++weighted_vus[remainders[i].second];
    for (const auto& [name, n] : weighted_vus)
      if (n < 1)
        throw usage_error("options.scenarios." + name + ".weight gives it no client of options.vus = " +
                          std::to_string(*options.vus));
  }
  int total_workers = flags.workers.value_or(static_cast<int>(std::max(1u, hardware_threads)));
  if (total_workers < 1 || total_workers > 256) throw usage_error("--workers must be between 1 and 256");
  const int n = static_cast<int>(options.scenarios.size());
  c.vus = 0;
  c.workers = 0;
  c.duration = std::chrono::milliseconds(0);
  for (int i = 0; i < n; ++i) {
    const auto& sc = options.scenarios[static_cast<std::size_t>(i)];
    scenario::scenario_options o = sc.model;
    if (weighted) o.vus = weighted_vus.at(sc.name);
    o.connect_timeout = options.connect_timeout;
    o.recv_timeout = options.recv_timeout;
    o.max_message = options.max_message;
    o.protocol = options.protocol;
    o.dialect = options.dialect;
    o.validate = options.validate;
    if (!o.graceful_stop) o.graceful_stop = options.graceful_stop;
    cli_overrides f = flags;
    // A scenario's own target beats --target, which replaces the top-level default only: the
    // fleet's scenarios may talk to different servers.
    if (sc.model.target) f.target.reset();
    else if (!f.target) o.target = options.target;
    // The workers are shared out between the scenarios (each has at least one).
    f.workers = static_cast<int>(std::max<long long>(1, share_of(total_workers, i, n)));
    run_config s;
    try {
      s = resolve_one(scenario_path, o, f, hardware_threads);
    } catch (const usage_error& e) {
      throw usage_error("options.scenarios." + sc.name + ": " + e.what());
    }
    s.scenario_name = sc.name;
    s.exec = sc.exec;
    s.tags = sc.tags;
    s.start_time = sc.start_time;
    if (s.start_time + s.duration > max_run_duration)
      throw usage_error("options.scenarios." + sc.name + ": start_time + duration must be at most 24h");
    c.vus += s.vus;
    c.workers += s.workers;
    c.duration = std::max(c.duration, s.start_time + s.duration);
    c.graceful_stop = std::max(c.graceful_stop, s.graceful_stop);
    c.scenarios.push_back(std::move(s));
  }
  c.model = c.scenarios.front().model;
  c.shard_index = c.scenarios.front().shard_index;
  c.shard_count = c.scenarios.front().shard_count;
  // A tagged threshold must be able to match a scenario's sub-metric: a typo in a scenario's
  // name would otherwise fail the run with "never recorded" only after it ran.
  for (const auto& spec : c.thresholds) {
    auto t = metrics::split_tagged_name(spec.metric);
    if (t.tags.empty()) continue;
    bool found = false;
    for (const auto& s : c.scenarios) found = found || tags_match(s, t.tags);
    if (!found) {
      std::string names;
      for (const auto& s : c.scenarios) names += (names.empty() ? "" : ", ") + tag_list(s);
      throw usage_error("threshold \"" + spec.source + "\": no scenario has the tags {" +
                        metrics::canonical_tagged_name({"", t.tags}).substr(1) + " (scenarios' tags: " + names + ")");
    }
  }
  return c;
}

}  // namespace

bool tags_match(const run_config& scenario, const std::map<std::string, std::string>& wanted) {
  for (const auto& [k, v] : wanted) {
    if (k == "scenario") {
      if (v != scenario.scenario_name) return false;
      continue;
    }
    auto it = scenario.tags.find(k);
    if (it == scenario.tags.end() || it->second != v) return false;
  }
  return true;
}

run_config resolve_config(const std::string& scenario_path, const scenario::scenario_options& options,
                          const cli_overrides& flags, unsigned hardware_threads) {
  if (!options.scenarios.empty()) return resolve_fleet(scenario_path, options, flags, hardware_threads);
  run_config c = resolve_one(scenario_path, options, flags, hardware_threads);
  for (const auto& spec : c.thresholds)
    if (spec.metric.find('{') != std::string::npos)
      throw usage_error("threshold \"" + spec.source +
                        "\": tagged sub-metrics exist only in a file with options.scenarios (a mixed fleet)");
  return c;
}

namespace {

run_config resolve_one(const std::string& scenario_path, const scenario::scenario_options& options,
                       const cli_overrides& flags, unsigned hardware_threads) {
  run_config c;
  c.scenario_path = scenario_path;
  c.target = pick<std::string>(flags.target, options.target, "");
  if (!c.target.empty()) parse_ws_url(c.target);  // fail early on a bad --target
  c.model = resolve_executor(options, flags.model, flags.vus);
  c.vus = c.model.vus;
  c.ramp_up = pick(flags.ramp_up, options.ramp_up, std::chrono::milliseconds(0));
  c.graceful_stop = pick(flags.graceful_stop, options.graceful_stop, std::chrono::milliseconds(5'000));
  c.iterations = pick(flags.iterations, options.iterations, 0LL);
  if (c.iterations < 0) throw usage_error("--iterations must not be negative");
  const auto kind = c.model.kind;
  if (kind != executor_kind::constant_vus && kind != executor_kind::per_vu_iterations) {
    // Staged and arrival-rate models run whole iterations on their own schedule.
    if (flags.iterations) throw usage_error("--iterations applies to constant-vus and per-vu-iterations only");
    if (flags.ramp_up) throw usage_error("--ramp-up applies to constant-vus only (ramping-vus has stages)");
    c.iterations = 0;
    c.ramp_up = std::chrono::milliseconds(0);
  }
  if (kind == executor_kind::per_vu_iterations) {
    if (c.iterations == 0) c.iterations = 1;
    c.ramp_up = std::chrono::milliseconds(0);
  }
  auto duration = flags.duration ? flags.duration : options.duration;
  if (kind == executor_kind::per_vu_iterations && options.max_duration && !flags.duration) duration = options.max_duration;
  if (kind == executor_kind::ramping_vus || kind == executor_kind::ramping_arrival_rate) {
    // A staged model lasts as long as its stages; a duration in options (written for another
    // model) is ignored, a --duration flag is a mistake worth naming.
    if (flags.duration) throw usage_error("--duration does not apply to " + std::string(executor_name(kind)) +
                                          " (its length is the sum of its stages)");
    c.duration = stages_length(c.model.stages);
  } else if (duration) {
    c.duration = *duration;
    if (c.duration.count() <= 0) throw usage_error("--duration must be longer than 0");
  } else if (is_arrival_rate(kind)) {
    throw usage_error("constant-arrival-rate needs a duration (--duration or options.duration)");
  } else if (c.iterations > 0) {
    c.duration = default_duration_with_iterations;
  } else {
    c.iterations = 1;
    c.duration = default_duration_with_iterations;
  }
  if (c.duration > max_run_duration) throw usage_error("--duration must be at most 24h");
  if (c.ramp_up > c.duration)
    throw usage_error("--ramp-up (" + format_duration(c.ramp_up) + ") must not be longer than --duration (" +
                      format_duration(c.duration) + ")");
  c.shard_count = flags.shard_count.value_or(1);
  c.shard_index = flags.shard_index.value_or(0);
  if (c.shard_count < 1 || c.shard_index < 0 || c.shard_index >= c.shard_count)
    throw usage_error("--shard must be i/N with 1 <= i <= N");
  int hw = static_cast<int>(std::max(1u, hardware_threads));
  c.workers = flags.workers.value_or(hw);
  if (c.workers < 1 || c.workers > 256) throw usage_error("--workers must be between 1 and 256");
  // No worker without a client of its own: at most one per client this shard can have.
  long long shard_clients = share_of(max_clients(c.model), c.shard_index, c.shard_count);
  if (shard_clients < 1)
    throw usage_error("--shard " + std::to_string(c.shard_index + 1) + "/" + std::to_string(c.shard_count) +
                      " gets no client (" + std::to_string(max_clients(c.model)) + " in all)");
  c.workers = static_cast<int>(std::min<long long>(c.workers, shard_clients));

  for (const auto& [k, v] : flags.env) c.env[k] = v;
  c.connect.headers = flags.headers;
  if (flags.source_ips) c.connect.source_ips = load_source_ips(*flags.source_ips);  // parsed, checked bindable
  if (auto t = flags.connect_timeout ? flags.connect_timeout : options.connect_timeout) {
    c.connect.connect_timeout = *t;
    c.connect.handshake_timeout = *t;
  }
  if (auto m = flags.max_message ? flags.max_message : options.max_message) {
    if (*m < 1) throw usage_error("--max-message must be at least 1 byte");
    c.connect.max_message = static_cast<std::size_t>(*m);
  }
  if (options.recv_timeout) c.recv_timeout = *options.recv_timeout;
  c.tls = flags.tls;
  c.protocol = pick<std::string>(flags.protocol, options.protocol, "");
  c.dialect = pick<std::string>(flags.dialect, options.dialect, "");
  c.validate = pick<std::string>(flags.validate, options.validate, "all");
  c.quiet = flags.quiet;
  c.allow_unsafe_lua = flags.allow_unsafe_lua;
  for (const auto& [key, expression] : options.thresholds) c.thresholds.push_back(metrics::parse_threshold(key, expression));
  return c;
}

}  // namespace

}  // namespace drover::runner
