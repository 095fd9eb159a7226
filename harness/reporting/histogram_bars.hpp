#pragma once
// Turns an HDR histogram's buckets into the bars of a chart: adjacent buckets are merged into
// at most max_bars groups of equal width on a log scale. Counts stay exact (their sum equals
// the histogram's count); each bar spans from its first bucket's lower to its last bucket's
// upper bound (inclusive, in the histogram's integer unit).
#include <cstddef>
#include <vector>

#include "harness/metrics/histogram.hpp"

namespace drover::reporting {

inline constexpr std::size_t max_histogram_bars = 60;

std::vector<metrics::histogram::bucket> histogram_bars(const std::vector<metrics::histogram::bucket>& buckets,
                                                       std::size_t max_bars = max_histogram_bars);

}  // namespace drover::reporting
