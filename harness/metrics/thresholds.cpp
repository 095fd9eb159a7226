#include "harness/metrics/thresholds.hpp"

#include <cstdio>

#include "harness/metrics/aggregation.hpp"

namespace drover::metrics {
namespace {

// Trend histograms hold value * 1000 (see trend_metric::add).
constexpr double trend_scale = 1000.0;

bool applies(metric_type type, std::string_view agg) {
  switch (type) {
    case metric_type::trend:
      return agg == "avg" || agg == "min" || agg == "max" || agg == "count" || detail::percentile_of(agg).has_value();
    case metric_type::counter: return agg == "count" || agg == "rate";
    case metric_type::rate: return agg == "rate" || agg == "passes" || agg == "fails" || agg == "count";
    case metric_type::gauge: return agg == "value" || agg == "max";
  }
  return false;
}

std::string_view valid_for(metric_type type) {
  switch (type) {
    case metric_type::trend: return "trend: avg, min, max, med, count, pN";
    case metric_type::counter: return "counter: count, rate";
    case metric_type::rate: return "rate: rate, passes, fails, count";
    case metric_type::gauge: return "gauge: value, max";
  }
  return "";
}

std::optional<double> trend_value(const histogram& h, std::string_view agg) {
  if (agg == "count") return static_cast<double>(h.count());
  if (h.count() == 0) return std::nullopt;
  if (agg == "avg") return h.mean() / trend_scale;
  if (agg == "min") return static_cast<double>(h.min()) / trend_scale;
  if (agg == "max") return static_cast<double>(h.max()) / trend_scale;
  if (auto p = detail::percentile_of(agg)) return static_cast<double>(h.value_at_percentile(*p)) / trend_scale;
  return std::nullopt;
}

bool compare(double actual, std::string_view op, double wanted) {
  if (op == "<") return actual < wanted;
  if (op == "<=") return actual <= wanted;
  if (op == ">") return actual > wanted;
  if (op == ">=") return actual >= wanted;
  if (op == "==") return actual == wanted;
  if (op == "!=") return actual != wanted;
  return false;
}

std::string format_actual(double v, const recorder::metric_entry& e, std::string_view agg) {
  char buf[64];
  const bool whole = agg == "count" || agg == "passes" || agg == "fails";
  std::snprintf(buf, sizeof buf, whole ? "%.0f" : "%.3f", v);
  std::string out = buf;
  if (e.type == metric_type::trend && e.trend->unit == value_unit::milliseconds && agg != "count") out += " ms";
  if (e.type == metric_type::counter && agg == "rate") out += "/s";
  return out;
}

}  // namespace

std::optional<double> aggregate(const recorder& merged, std::string_view metric, std::string_view aggregation,
                                double elapsed_seconds) {
  const recorder::metric_entry* e = merged.find(metric);
  if (!e) return std::nullopt;
  const auto agg = detail::normalise_aggregation(aggregation);
  if (!agg || !applies(e->type, *agg)) return std::nullopt;

  switch (e->type) {
    case metric_type::trend: return trend_value(e->trend->values, *agg);
    case metric_type::counter:
      if (*agg == "count") return e->counter->total;
      if (elapsed_seconds <= 0) return std::nullopt;
      return e->counter->total / elapsed_seconds;
    case metric_type::rate: {
      const rate_metric& r = *e->rate;
      if (*agg == "passes") return static_cast<double>(r.trues);
      if (*agg == "fails") return static_cast<double>(r.total - r.trues);
      if (*agg == "count") return static_cast<double>(r.total);
      if (r.total == 0) return std::nullopt;
      return static_cast<double>(r.trues) / static_cast<double>(r.total);
    }
    case metric_type::gauge:
      if (!e->gauge->set) return std::nullopt;
      return *agg == "max" ? e->gauge->max : e->gauge->value;
  }
  return std::nullopt;
}

threshold_result evaluate_threshold(const threshold_spec& spec, const recorder& merged, double elapsed_seconds) {
  threshold_result result;
  result.spec = spec;
  const std::string name = spec.metric + "." + spec.aggregation;
  const std::string wanted = "wanted " + spec.op + " " + detail::shortest(spec.value);

  const recorder::metric_entry* e = merged.find(spec.metric);
  if (!e) {
    result.message = name + ": metric \"" + spec.metric + "\" was never recorded, " + wanted;
    return result;
  }
  const auto agg = detail::normalise_aggregation(spec.aggregation);
  if (!agg || !applies(e->type, *agg)) {
    result.message = name + ": \"" + spec.aggregation + "\" does not apply to this metric (" +
                     std::string(valid_for(e->type)) + "), " + wanted;
    return result;
  }
  result.actual = aggregate(merged, spec.metric, *agg, elapsed_seconds);
  if (!result.actual) {
    const bool zero_run = e->type == metric_type::counter && *agg == "rate";
    result.message = name + (zero_run ? ": no value (the run lasted 0 s), " : ": no value (nothing recorded), ") + wanted;
    return result;
  }
  result.ok = compare(*result.actual, spec.op, spec.value);
  result.message = name + " = " + format_actual(*result.actual, *e, *agg) + ", " + wanted;
  return result;
}

}  // namespace drover::metrics
