#include "harness/reporting/histogram_bars.hpp"

#include <algorithm>
#include <cmath>

namespace drover::reporting {

std::vector<metrics::histogram::bucket> histogram_bars(const std::vector<metrics::histogram::bucket>& buckets,
                                                       std::size_t max_bars) {
  if (buckets.size() <= max_bars || max_bars == 0) return buckets;
  // Bins of equal width in log space between the smallest positive value and the largest;
  // zero-valued buckets join the first bin.
  const double lo = std::log(static_cast<double>(std::max<std::int64_t>(buckets.front().lower, 1)));
  const double hi = std::log(static_cast<double>(buckets.back().upper) + 1.0);
  const double step = (hi - lo) / static_cast<double>(max_bars);
  std::vector<metrics::histogram::bucket> bars;
  std::size_t current_bin = 0;
  for (const auto& b : buckets) {
    std::size_t bin = 0;
    if (b.lower > 0 && step > 0) {
      const double position = (std::log(static_cast<double>(b.lower)) - lo) / step;
      bin = std::min(max_bars - 1, static_cast<std::size_t>(std::max(0.0, position)));
    }
    if (!bars.empty() && bin == current_bin) {
      bars.back().upper = std::max(bars.back().upper, b.upper);
      bars.back().count += b.count;
    } else {
      bars.push_back(b);
      current_bin = bin;
    }
  }
  return bars;
}

}  // namespace drover::reporting
