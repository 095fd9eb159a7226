#include <algorithm>
#include <cmath>

#include "harness/reporting/document_parts.hpp"
#include "harness/reporting/histogram_bars.hpp"

namespace drover::reporting::detail {
namespace {

using metrics::metric_type;
using metrics::value_unit;

const char* unit_name(value_unit unit) {
  switch (unit) {
    case value_unit::milliseconds: return "ms";
    case value_unit::bytes: return "bytes";
    case value_unit::none: break;
  }
  return "";
}

// The recorder stores trend values as integers in thousandths of the unit.
double unit_value(std::int64_t thousandths) { return static_cast<double>(thousandths) / 1000.0; }

// The full-precision histogram, for `drover report merge` (merge.hpp): the recorder's
// integer values (thousandths of the unit), each non-empty bucket as [its lowest value,
// count]. Re-recording count values at a bucket's lowest value fills the same bucket, so
// shards merge bucket by bucket with no precision lost; the bars above are too coarse for that.
boost::json::object hdr_json(const metrics::histogram& h) {
  boost::json::array counts;
  for (const auto& b : h.nonempty_buckets()) counts.push_back(boost::json::array{b.lower, count_value(b.count)});
  return boost::json::object{{"sig", 3}, {"scale", 1000}, {"min", h.min()}, {"max", h.max()},
                             {"counts", std::move(counts)}};
}

boost::json::object trend_json(const metrics::trend_metric& t) {
  const auto& h = t.values;
  boost::json::object out;
  out["type"] = "trend";
  out["unit"] = unit_name(t.unit);
  out["count"] = count_value(h.count());
  out["min"] = unit_value(h.min());
  out["max"] = unit_value(h.max());
  out["mean"] = rounded(h.mean() / 1000.0, 3);
  out["p50"] = unit_value(h.value_at_percentile(50));
  out["p90"] = unit_value(h.value_at_percentile(90));
  out["p95"] = unit_value(h.value_at_percentile(95));
  out["p99"] = unit_value(h.value_at_percentile(99));
  out["p99.9"] = unit_value(h.value_at_percentile(99.9));
  // Bucket bounds are clamped to the exact min and max, so no bar claims values never seen.
  auto merged = histogram_bars(h.nonempty_buckets());
  if (!merged.empty()) {
    merged.front().lower = std::max(merged.front().lower, h.min());
    merged.back().upper = std::min(merged.back().upper, h.max());
  }
  boost::json::array bars;
  for (const auto& bar : merged) {
    bars.push_back(boost::json::array{unit_value(bar.lower), unit_value(bar.upper), count_value(bar.count)});
  }
  out["histogram"] = std::move(bars);
  out["hdr"] = hdr_json(h);
  return out;
}

boost::json::object counter_json(const metrics::counter_metric& c, double elapsed_seconds) {
  boost::json::object out;
  out["type"] = "counter";
  out["unit"] = unit_name(c.unit);
  out["count"] = rounded(c.total, 3);
  out["rate"] = elapsed_seconds > 0 ? rounded(c.total / elapsed_seconds, 3) : 0.0;
  return out;
}

boost::json::object rate_json(const metrics::rate_metric& r) {
  boost::json::object out;
  out["type"] = "rate";
  out["passes"] = count_value(r.trues);
  out["fails"] = count_value(r.total >= r.trues ? r.total - r.trues : 0);
  out["rate"] = r.total > 0 ? rounded(static_cast<double>(r.trues) / static_cast<double>(r.total), 6) : 0.0;
  return out;
}

boost::json::object gauge_json(const metrics::gauge_metric& g) {
  boost::json::object out;
  out["type"] = "gauge";
  out["value"] = rounded(g.value, 3);
  out["max"] = rounded(g.max, 3);
  return out;
}

}  // namespace

double rounded(double value, int decimals) {
  if (!std::isfinite(value)) return 0;
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(value * scale) / scale;
  return r == 0 ? 0.0 : r;  // no -0 in the document
}

boost::json::object metrics_json(const metrics::recorder& merged, double elapsed_seconds) {
  boost::json::object out;
  // A tagged sub-metric ("vus{scenario:a}") follows its own metric, not the next name that sorts
  // between them ("vus_max"): the console and the report list the document in this order.
  std::vector<std::pair<const std::string*, const metrics::recorder::metric_entry*>> ordered;
  for (const auto& [name, entry] : merged.metrics()) ordered.emplace_back(&name, &entry);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    auto base = [](const std::string& n) { return std::string_view(n).substr(0, n.find('{')); };
    return base(*a.first) < base(*b.first);
  });
  for (const auto& [name_ptr, entry_ptr] : ordered) {
    const std::string& name = *name_ptr;
    const auto& entry = *entry_ptr;
    switch (entry.type) {
      case metric_type::trend:
        if (entry.trend) out[name] = trend_json(*entry.trend);
        break;
      case metric_type::counter:
        if (entry.counter) out[name] = counter_json(*entry.counter, elapsed_seconds);
        break;
      case metric_type::rate:
        if (entry.rate) out[name] = rate_json(*entry.rate);
        break;
      case metric_type::gauge:
        if (entry.gauge) out[name] = gauge_json(*entry.gauge);
        break;
    }
  }
  return out;
}

}  // namespace drover::reporting::detail
