#include "harness/reporting/percentile_spectrum.hpp"

#include <algorithm>
#include <cmath>

#include "harness/reporting/doc_view.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> whole(const json::value& v) {
  const auto n = view::as_number(v);
  if (!n || !std::isfinite(*n) || *n < 0 || *n > 9e15) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*n));
}

// As `drover report merge` rebuilds a trend: each bucket's count at the bucket's lowest value
// (which lands in the same bucket), with the exact min and max recorded once each so that p0
// and p100 stay exact.
bool fill_from_hdr(metrics::histogram& h, const json::object& hdr) {
  if (view::integer(hdr, "scale") != 1000) return false;
  const auto& counts = view::array(hdr, "counts");
  const auto min = hdr.contains("min") ? whole(hdr.at("min")) : std::nullopt;
  const auto max = hdr.contains("max") ? whole(hdr.at("max")) : std::nullopt;
  std::vector<std::pair<std::int64_t, std::uint64_t>> buckets;
  for (const auto& item : counts) {
    const auto* pair = item.if_array();
    if (!pair || pair->size() != 2) continue;
    const auto lower = whole((*pair)[0]), n = whole((*pair)[1]);
    if (lower && n && *n > 0) buckets.emplace_back(*lower, static_cast<std::uint64_t>(*n));
  }
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    auto [lower, n] = buckets[i];
    if (i == 0 && min && n > 0) {
      h.record(*min);
      --n;
    }
    if (i + 1 == buckets.size() && max && n > 0) {
      h.record(*max);
      --n;
    }
    if (n > 0) h.record_n(lower, n);
  }
  return h.count() > 0;
}

bool fill_from_bars(metrics::histogram& h, const json::array& bars) {
  for (const auto& item : bars) {
    const auto* bar = item.if_array();
    if (!bar || bar->size() != 3) continue;
    const auto upper = view::as_number((*bar)[1]);
    const auto n = whole((*bar)[2]);
    if (!upper || !std::isfinite(*upper) || *upper < 0 || *upper > 9e12 || !n || *n == 0) continue;
    h.record_n(static_cast<std::int64_t>(std::llround(*upper * 1000)), static_cast<std::uint64_t>(*n));
  }
  return h.count() > 0;
}

}  // namespace

std::optional<metrics::histogram> trend_histogram(const json::object& trend) {
  metrics::histogram h;
  if (const auto* hdr = trend.if_contains("hdr"); hdr && hdr->is_object()) {
    if (fill_from_hdr(h, hdr->get_object())) return h;
    h.reset();
  }
  if (fill_from_bars(h, view::array(trend, "histogram"))) return h;
  return std::nullopt;
}

double percentile_at_nines(double nines) { return 100.0 * (1.0 - std::pow(10.0, -nines)); }

std::vector<spectrum_point> percentile_spectrum(const metrics::histogram& values, int steps_per_nine) {
  std::vector<spectrum_point> out;
  if (values.count() == 0 || steps_per_nine < 1) return out;
  const int steps = static_cast<int>(spectrum_max_nines) * steps_per_nine;
  for (int i = 0; i <= steps; ++i) {
    const double nines = static_cast<double>(i) / steps_per_nine;
    // Rounded to 6 digits so that 2 nines is exactly 99 (pow's last bit would make it 98.99999…).
    const double p = std::round(percentile_at_nines(nines) * 1e6) / 1e6;
    const double v = static_cast<double>(values.value_at_percentile(p)) / 1000.0;
    out.push_back({nines, p, out.empty() ? v : std::max(v, out.back().value)});
  }
  return out;
}

}  // namespace drover::reporting
