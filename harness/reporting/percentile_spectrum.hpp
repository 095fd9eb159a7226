#pragma once
// A trend's percentile spectrum (HdrHistogram's "percentile distribution" plot): the value at
// each percentile p, placed on an axis of log10(1 / (1 - p/100)), where 0 is p0 (the minimum),
// 1 is p90, 2 p99, ... 5 p99.999. Computed from the trend's full histogram in summary.json
// ("hdr": every non-empty bucket, thousandths of the unit), so each point is exact to the
// histogram's 3 significant digits and agrees with the document's own p50/p95/p99; a document
// without "hdr" falls back to the coarser "histogram" bars (each bar's count at its upper bound).
// Pure functions; any thread.
#include <optional>
#include <vector>

#include <boost/json.hpp>

#include "harness/metrics/histogram.hpp"

namespace drover::reporting {

inline constexpr double spectrum_max_nines = 5;  // the axis ends at 99.999 %

struct spectrum_point {
  double nines = 0;       // log10(1 / (1 - percentile/100)); 0 = p0
  double percentile = 0;  // 0 .. 99.999
  double value = 0;       // in the trend's unit
};

// The trend's histogram as recorded (thousandths of the unit), from "hdr" (else "histogram");
// nullopt when the trend has neither or no values. Malformed entries are skipped.
std::optional<metrics::histogram> trend_histogram(const boost::json::object& trend);

// steps_per_nine points per decade of 1/(1-p) from p0 to 99.999 % (5 * steps_per_nine + 1
// points), values non-decreasing, in the unit (histogram values / 1000). Empty histogram: {}.
std::vector<spectrum_point> percentile_spectrum(const metrics::histogram& values, int steps_per_nine = 20);

// The percentile at a position of the axis: nines 2 -> 99.
double percentile_at_nines(double nines);

}  // namespace drover::reporting
