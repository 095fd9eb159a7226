#include "harness/metrics/recorder.hpp"

#include <algorithm>
#include <stdexcept>

namespace drover::metrics {
namespace {

std::string_view type_name(metric_type t) {
  switch (t) {
    case metric_type::counter: return "counter";
    case metric_type::trend: return "trend";
    case metric_type::rate: return "rate";
    case metric_type::gauge: return "gauge";
  }
  return "unknown";
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void add_sample(error_stats& e, std::string_view message) {
  if (e.samples.size() < recorder::max_error_samples && !contains(e.samples, message)) {
    e.samples.emplace_back(message);
  }
}

}  // namespace

recorder::metric_entry& recorder::entry(std::string_view name, metric_type type) {
  auto it = metrics_.find(name);
  if (it != metrics_.end()) {
    if (it->second.type != type) {
      throw std::logic_error("metric \"" + std::string(name) + "\" is a " + std::string(type_name(it->second.type)) +
                             ", not a " + std::string(type_name(type)));
    }
    return it->second;
  }
  metric_entry e{type, nullptr, nullptr, nullptr, nullptr};
  switch (type) {
    case metric_type::trend:
      e.trend = std::make_unique<trend_metric>();
      if (track_intervals_) e.trend->interval_values = std::make_unique<histogram>();
      break;
    case metric_type::counter: e.counter = std::make_unique<counter_metric>(); break;
    case metric_type::rate: e.rate = std::make_unique<rate_metric>(); break;
    case metric_type::gauge: e.gauge = std::make_unique<gauge_metric>(); break;
  }
  return metrics_.emplace(std::string(name), std::move(e)).first->second;
}

// The unit is fixed by the first call that creates the metric; later calls only look it up.
trend_metric& recorder::trend(std::string_view name, value_unit unit) {
  const bool is_new = !metrics_.contains(name);
  trend_metric& t = *entry(name, metric_type::trend).trend;
  if (is_new) t.unit = unit;
  return t;
}

counter_metric& recorder::counter(std::string_view name, value_unit unit) {
  const bool is_new = !metrics_.contains(name);
  counter_metric& c = *entry(name, metric_type::counter).counter;
  if (is_new) c.unit = unit;
  return c;
}

rate_metric& recorder::rate(std::string_view name) { return *entry(name, metric_type::rate).rate; }

gauge_metric& recorder::gauge(std::string_view name) { return *entry(name, metric_type::gauge).gauge; }

void recorder::add_rate(std::string_view name, bool ok) {
  rate_metric& r = rate(name);
  r.total += 1;
  if (ok) r.trues += 1;
}

void recorder::set_gauge(std::string_view name, double value) {
  gauge_metric& g = gauge(name);
  g.max = g.set ? std::max(g.max, value) : value;
  g.value = value;
  g.set = true;
}

void recorder::add_check(std::string_view name, bool ok, std::string_view detail) {
  auto it = checks_.find(name);
  if (it == checks_.end()) {
    it = checks_.emplace(std::string(name), check_stats{}).first;
    check_order_.emplace_back(name);
  }
  check_stats& c = it->second;
  if (ok) {
    c.passes += 1;
  } else {
    if (c.fails == 0) c.first_failure = std::string(detail);
    c.fails += 1;
  }
  add_rate(names::checks, ok);
}

void recorder::add_error(std::string_view kind, std::string_view message, bool count_as_ws_error) {
  auto it = errors_.find(kind);
  if (it == errors_.end()) it = errors_.emplace(std::string(kind), error_stats{}).first;
  it->second.count += 1;
  add_sample(it->second, message);
  if (count_as_ws_error) add_counter(names::ws_errors, 1);
}

void recorder::add_close_code(int code) { close_codes_[code] += 1; }

void recorder::track_intervals() {
  track_intervals_ = true;
  for (auto& [name, e] : metrics_)
    if (e.trend && !e.trend->interval_values) e.trend->interval_values = std::make_unique<histogram>();
}

const recorder::metric_entry* recorder::find(std::string_view name) const {
  auto it = metrics_.find(name);
  return it == metrics_.end() ? nullptr : &it->second;
}

// Gauges are per-worker figures (vus: clients running in this worker), so the merged
// value is the sum over workers. The merged max is the sum of the workers' maxima: an
// upper bound of the true peak, exact when the workers peak together (as a ramp does).
void recorder::merge_metrics_tagged(const recorder& other, std::string_view tags) {
  for (const auto& [name, src] : other.metrics_)
    if (name.find('{') == std::string::npos) merge_metric(name + "{" + std::string(tags) + "}", src);
}

void recorder::merge(const recorder& other) {
  for (const auto& [name, src] : other.metrics_) merge_metric(name, src);
  merge_rest(other);
}

void recorder::merge_metric(const std::string& name, const metric_entry& src) {
  {
    switch (src.type) {
      case metric_type::trend: trend(name, src.trend->unit).values.merge(src.trend->values); break;
      case metric_type::counter: counter(name, src.counter->unit).total += src.counter->total; break;
      case metric_type::rate: {
        rate_metric& r = rate(name);
        r.trues += src.rate->trues;
        r.total += src.rate->total;
        break;
      }
      case metric_type::gauge: {
        if (!src.gauge->set) {
          gauge(name);
          break;
        }
        gauge_metric& g = gauge(name);
        g.value = g.set ? g.value + src.gauge->value : src.gauge->value;
        g.max = g.set ? g.max + src.gauge->max : src.gauge->max;
        g.set = true;
        break;
      }
    }
  }
}

void recorder::merge_rest(const recorder& other) {
  for (const auto& name : other.check_order_) {
    const check_stats& src = other.checks_.find(name)->second;
    auto it = checks_.find(name);
    if (it == checks_.end()) {
      checks_.emplace(name, src);
      check_order_.push_back(name);
      continue;
    }
    check_stats& c = it->second;
    if (c.fails == 0 && src.fails != 0) c.first_failure = src.first_failure;
    c.passes += src.passes;
    c.fails += src.fails;
  }

  for (const auto& [kind, src] : other.errors_) {
    error_stats& e = errors_[kind];
    e.count += src.count;
    for (const auto& s : src.samples) add_sample(e, s);
  }

  for (const auto& [code, n] : other.close_codes_) close_codes_[code] += n;
}

}  // namespace drover::metrics
