#include "harness/runner/run_config.hpp"

#include <algorithm>

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

run_config resolve_config(const std::string& scenario_path, const scenario::scenario_options& options,
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

}  // namespace drover::runner
