#pragma once
// What drover sends to Prometheus for each interval (README "Outputs: Prometheus"), in the
// naming of k6's experimental-prometheus-rw output with a drover_ prefix:
//  - counters, as running totals since the run's start (Prometheus counters):
//      drover_ws_sessions_total (opened), drover_ws_sessions_closed_total,
//      drover_ws_msgs_sent_total, drover_ws_msgs_received_total,
//      drover_data_sent_bytes_total, drover_data_received_bytes_total,
//      drover_iterations_total, drover_dropped_iterations_total,
//      drover_checks_total{result="pass"|"fail"}, drover_errors_total{kind},
//      drover_ws_close_codes_total{code}, and drover_<trend>_count per trend;
//    a counter first seen in an interval also gets a 0 sample at that interval's start, so that
//    increase() and rate() count its first interval too;
//  - gauges: drover_vus (clients running at the interval's end) and, for every trend with values
//    in the interval, drover_<trend>_p50, _p95, _p99 and _max over that interval only, in
//    seconds for time trends (Prometheus' base unit; drover's own outputs use ms), else in the
//    trend's unit;
//  - labels: the constant ones (--prometheus-label) on every series, and a trend's tags
//    (the per-scenario sub-metrics "name{scenario:S}" become drover_name_p99{scenario="S"}).
//    A series' own label (kind, code, result, a tag) wins over a constant label of the same name.
// Samples are stamped at the interval's end (wall clock, ms since the epoch).
//
// Threading: one builder per run, fed in interval order from one thread at a time.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "harness/metrics/interval_series.hpp"

namespace drover::exporting {

using prometheus_labels = std::vector<std::pair<std::string, std::string>>;

struct prometheus_sample {
  double value = 0;
  std::int64_t timestamp_ms = 0;
};

// One time series as remote write sends it: labels sorted by name with unique names,
// "__name__" among them; samples in increasing timestamp order.
struct prometheus_series {
  prometheus_labels labels;
  std::vector<prometheus_sample> samples;
};

class prometheus_series_builder {
 public:
  // constant_labels: valid label names (parse_prometheus_label_flag), non-empty values.
  explicit prometheus_series_builder(prometheus_labels constant_labels);

  // The series of one interval. Every counter seen so far is in it (a stalled counter keeps
  // its series alive); gauges only when the interval has a value for them.
  std::vector<prometheus_series> add(const metrics::interval_point& point);

 private:
  struct counter_key {
    std::string name;
    prometheus_labels labels;  // series labels only, sorted
    auto operator<=>(const counter_key&) const = default;
  };
  prometheus_labels constant_labels_;
  std::map<counter_key, double> totals_;

  // Adds delta to a counter; a counter not seen before goes into `fresh` too.
  void count(std::set<counter_key>& fresh, const std::string& name, prometheus_labels labels, double delta);
  prometheus_series make_series(const std::string& name, const prometheus_labels& own) const;
};

}  // namespace drover::exporting
