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
  c.vus = pick(flags.vus, options.vus, 1);
  if (c.vus < 1) throw usage_error("--vus must be at least 1");
  c.ramp_up = pick(flags.ramp_up, options.ramp_up, std::chrono::milliseconds(0));
  c.graceful_stop = pick(flags.graceful_stop, options.graceful_stop, std::chrono::milliseconds(5'000));
  c.iterations = pick(flags.iterations, options.iterations, 0LL);
  if (c.iterations < 0) throw usage_error("--iterations must not be negative");
  auto duration = flags.duration ? flags.duration : options.duration;
  if (duration) {
    c.duration = *duration;
    if (c.duration.count() <= 0) throw usage_error("--duration must be longer than 0");
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
  int hw = static_cast<int>(std::max(1u, hardware_threads));
  c.workers = flags.workers.value_or(hw);
  if (c.workers < 1 || c.workers > 256) throw usage_error("--workers must be between 1 and 256");
  c.workers = std::min(c.workers, c.vus);

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
