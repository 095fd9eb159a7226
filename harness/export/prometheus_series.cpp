#include "harness/export/prometheus_series.hpp"

#include <algorithm>
#include <cmath>

#include "harness/common/error.hpp"
#include "harness/export/prometheus_naming.hpp"
#include "harness/metrics/thresholds.hpp"

namespace drover::exporting {

namespace {

constexpr const char* prefix = "drover_";

// A trend's quantiles and max over the interval: the stat's suffix and percentile (100 = max).
struct trend_stat {
  const char* suffix;
  double percentile;
};
constexpr trend_stat trend_stats[] = {{"_p50", 50}, {"_p95", 95}, {"_p99", 99}, {"_max", 100}};

// Histogram values are thousandths of the trend's unit; time trends go to Prometheus in seconds.
// One division, so that 2605055 us reads 2.605055 s and not 2.6050549999999997.
double to_prometheus_unit(std::int64_t thousandths, metrics::value_unit unit) {
  return static_cast<double>(thousandths) / (unit == metrics::value_unit::milliseconds ? 1e6 : 1e3);
}

// "ws_connecting{scenario:a}" -> ("ws_connecting", scenario="a"); a name whose braces do not
// parse as tags is taken whole (its characters become '_').
std::pair<std::string, prometheus_labels> split_trend_name(const std::string& name) {
  try {
    metrics::tagged_name tagged = metrics::split_tagged_name(name);
    prometheus_labels labels;
    for (const auto& [key, value] : tagged.tags) labels.emplace_back(prometheus_label_name(key), value);
    return {tagged.metric, std::move(labels)};
  } catch (const usage_error&) {
    return {name, {}};
  }
}

}  // namespace

prometheus_series_builder::prometheus_series_builder(prometheus_labels constant_labels)
    : constant_labels_(std::move(constant_labels)) {}

void prometheus_series_builder::count(std::set<counter_key>& fresh, const std::string& name, prometheus_labels labels,
                                      double delta) {
  std::sort(labels.begin(), labels.end());
  counter_key key{name, std::move(labels)};
  auto [it, inserted] = totals_.try_emplace(key, 0.0);
  it->second += delta;
  if (inserted) fresh.insert(std::move(key));
}

prometheus_series prometheus_series_builder::make_series(const std::string& name, const prometheus_labels& own) const {
  prometheus_series series;
  series.labels = own;
  for (const auto& constant : constant_labels_) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const auto& label = constant.first;
    bool taken = std::any_of(own.begin(), own.end(), [&](const auto& l) { return l.first == label; });
    if (!taken) series.labels.emplace_back(label, constant.second);
  }
  series.labels.emplace_back("__name__", name);
  std::sort(series.labels.begin(), series.labels.end());
  // Prometheus drops a label with an empty value; a duplicate name would reject the request.
  std::erase_if(series.labels, [](const auto& l) { return l.second.empty(); });
  series.labels.erase(std::unique(series.labels.begin(), series.labels.end(),
                                  [](const auto& a, const auto& b) { return a.first == b.first; }),
                      series.labels.end());
  return series;
}

std::vector<prometheus_series> prometheus_series_builder::add(const metrics::interval_point& point) {
  const std::int64_t start_ts = std::llround(point.unix_start_s * 1000.0);
  const std::int64_t end_ts = start_ts + std::max<std::int64_t>(point.end_ms - point.start_ms, 1);

  std::set<counter_key> fresh;
  auto counter = [&](const char* name, std::uint64_t delta, prometheus_labels labels = {}) {
    count(fresh, std::string(prefix) + name, std::move(labels), static_cast<double>(delta));
  };
  counter("ws_sessions_total", point.sessions_opened);
  counter("ws_sessions_closed_total", point.sessions_closed);
  counter("ws_msgs_sent_total", point.msgs_sent);
  counter("ws_msgs_received_total", point.msgs_received);
  counter("data_sent_bytes_total", point.bytes_sent);
  counter("data_received_bytes_total", point.bytes_received);
  counter("iterations_total", point.iterations);
  counter("dropped_iterations_total", point.dropped_iterations);
  counter("checks_total", point.checks_passed, {{"result", "pass"}});
  counter("checks_total", point.checks_failed, {{"result", "fail"}});
  for (const auto& [kind, n] : point.errors_by_kind) counter("errors_total", n, {{"kind", kind}});
  for (const auto& [code, n] : point.close_codes) counter("ws_close_codes_total", n, {{"code", std::to_string(code)}});
  for (const auto& [name, trend] : point.trends) {
    auto [base, tags] = split_trend_name(name);
    count(fresh, prefix + prometheus_metric_name(base) + "_count", std::move(tags),
          static_cast<double>(trend.values.count()));
  }

  std::vector<prometheus_series> out;
  out.reserve(totals_.size() + 1 + point.trends.size() * std::size(trend_stats));
  for (const auto& [key, total] : totals_) {
    prometheus_series series = make_series(key.name, key.labels);
    if (fresh.contains(key)) series.samples.push_back({0.0, start_ts});
    series.samples.push_back({total, end_ts});
    out.push_back(std::move(series));
  }

  prometheus_series vus = make_series(std::string(prefix) + "vus", {});
  vus.samples.push_back({static_cast<double>(point.active_clients), end_ts});
  out.push_back(std::move(vus));

  for (const auto& [name, trend] : point.trends) {
    if (trend.values.count() == 0) continue;
    auto [base, tags] = split_trend_name(name);
    std::sort(tags.begin(), tags.end());
    for (const auto& stat : trend_stats) {
      std::int64_t v = stat.percentile >= 100 ? trend.values.max() : trend.values.value_at_percentile(stat.percentile);
      prometheus_series series = make_series(prefix + prometheus_metric_name(base) + stat.suffix, tags);
      series.samples.push_back({to_prometheus_unit(v, trend.unit), end_ts});
      out.push_back(std::move(series));
    }
  }
  return out;
}

}  // namespace drover::exporting
