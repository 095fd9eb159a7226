#include "harness/runner/executor_config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"

namespace drover::runner {

namespace {

constexpr std::array<std::pair<executor_kind, std::string_view>, 5> names = {{
    {executor_kind::constant_vus, "constant-vus"},
    {executor_kind::ramping_vus, "ramping-vus"},
    {executor_kind::constant_arrival_rate, "constant-arrival-rate"},
    {executor_kind::ramping_arrival_rate, "ramping-arrival-rate"},
    {executor_kind::per_vu_iterations, "per-vu-iterations"},
}};

}  // namespace

std::string_view executor_name(executor_kind kind) {
  for (const auto& [k, n] : names)
    if (k == kind) return n;
  return "?";
}

executor_kind parse_executor_name(std::string_view name, const std::string& source) {
  std::string known;
  for (const auto& [k, n] : names) {
    if (n == name) return k;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  throw usage_error(source + ": unknown executor '" + std::string(name) + "' (known: " + known + ")");
}

bool is_arrival_rate(executor_kind kind) {
  return kind == executor_kind::constant_arrival_rate || kind == executor_kind::ramping_arrival_rate;
}

stage parse_stage_flag(std::string_view text) {
  auto bad = [&](const std::string& why) -> usage_error {
    return usage_error("--stage expects DURATION:TARGET (e.g. 30s:100), got '" + std::string(text) + "': " + why);
  };
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) throw bad("no ':' between the two");
  stage s;
  try {
    s.duration = parse_duration(text.substr(0, colon));
  } catch (const usage_error& e) {
    throw bad(e.what());
  }
  std::string target(text.substr(colon + 1));
  std::size_t used = 0;
  try {
    s.target = std::stod(target, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != target.size() || !std::isfinite(s.target)) throw bad("the target is not a number");
  if (s.target < 0) throw bad("the target must not be negative");
  return s;
}

std::chrono::milliseconds stages_length(const std::vector<stage>& stages) {
  std::chrono::milliseconds total{0};
  for (const auto& s : stages) total += s.duration;
  return total;
}

int max_clients(const executor_config& e) {
  switch (e.kind) {
    case executor_kind::ramping_vus: {
      double most = e.vus;
      for (const auto& s : e.stages) most = std::max(most, s.target);
      return static_cast<int>(most);
    }
    case executor_kind::constant_arrival_rate:
    case executor_kind::ramping_arrival_rate:
      return e.max_vus;
    default:
      return e.vus;
  }
}

long long share_of(long long total, int index, int count) {
  if (count <= 1) return total;
  return total / count + (index < total % count ? 1 : 0);
}

executor_config resolve_executor(const scenario::scenario_options& options, const executor_flags& flags,
                                 std::optional<int> vus_flag) {
  executor_config e;
  if (flags.executor) e.kind = parse_executor_name(*flags.executor, "--executor");
  else if (options.executor) e.kind = parse_executor_name(*options.executor, "options.executor");

  const bool staged = e.kind == executor_kind::ramping_vus || e.kind == executor_kind::ramping_arrival_rate;
  e.stages = !flags.stages.empty() ? flags.stages : options.stages;
  if (staged && e.stages.empty())
    throw usage_error(std::string(executor_name(e.kind)) + " needs stages (--stage DURATION:TARGET or options.stages)");
  if (!staged && !e.stages.empty())
    throw usage_error(std::string("--stage/options.stages apply to ramping-vus and ramping-arrival-rate, not ") +
                      std::string(executor_name(e.kind)));
  if (staged && stages_length(e.stages).count() <= 0) throw usage_error("the stages must last longer than 0");

  if (e.kind == executor_kind::ramping_vus) {
    e.vus = vus_flag ? *vus_flag : options.start_vus.value_or(options.vus.value_or(0));
    if (e.vus < 0) throw usage_error("--vus (start VUs of ramping-vus) must not be negative");
    if (max_clients(e) < 1) throw usage_error("ramping-vus: no stage has a target of at least 1 client");
  } else if (!is_arrival_rate(e.kind)) {
    e.vus = vus_flag ? *vus_flag : options.vus.value_or(1);
    if (e.vus < 1) throw usage_error("--vus must be at least 1");
  }
  if (!is_arrival_rate(e.kind)) {
    if (flags.rate || flags.time_unit || flags.pre_allocated_vus || flags.max_vus)
      throw usage_error(std::string("--rate, --time-unit, --pre-allocated-vus and --max-vus apply to the arrival-rate "
                                    "executors, not ") + std::string(executor_name(e.kind)));
    return e;
  }

  // Arrival-rate models.
  const char* rate_name = e.kind == executor_kind::constant_arrival_rate ? "rate" : "start_rate";
  if (flags.rate) e.rate = *flags.rate;
  else if (e.kind == executor_kind::constant_arrival_rate && options.rate) e.rate = *options.rate;
  else if (e.kind == executor_kind::ramping_arrival_rate && options.start_rate) e.rate = *options.start_rate;
  else if (e.kind == executor_kind::constant_arrival_rate)
    throw usage_error("constant-arrival-rate needs a rate (--rate N or options.rate)");
  if (!std::isfinite(e.rate) || e.rate < 0 || (e.kind == executor_kind::constant_arrival_rate && e.rate <= 0))
    throw usage_error(std::string("--rate (options.") + rate_name + ") must be a number above 0");
  e.time_unit = flags.time_unit ? *flags.time_unit : options.time_unit.value_or(std::chrono::milliseconds(1000));
  if (e.time_unit.count() <= 0) throw usage_error("--time-unit must be longer than 0");
  auto pre = flags.pre_allocated_vus ? flags.pre_allocated_vus
             : options.pre_allocated_vus ? options.pre_allocated_vus
                                         : (vus_flag ? vus_flag : options.vus);
  if (!pre)
    throw usage_error(std::string(executor_name(e.kind)) +
                      " needs a client pool (--pre-allocated-vus N or options.pre_allocated_vus)");
  e.pre_allocated_vus = *pre;
  if (e.pre_allocated_vus < 1) throw usage_error("--pre-allocated-vus must be at least 1");
  e.max_vus = flags.max_vus ? *flags.max_vus : options.max_vus.value_or(e.pre_allocated_vus);
  if (e.max_vus < e.pre_allocated_vus)
    throw usage_error("--max-vus (" + std::to_string(e.max_vus) + ") must not be below --pre-allocated-vus (" +
                      std::to_string(e.pre_allocated_vus) + ")");
  e.vus = e.pre_allocated_vus;
  return e;
}

}  // namespace drover::runner
