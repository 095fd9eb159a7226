#pragma once
// Pieces of build_result_document, split by source (internal to drover_reporting).
#include <cstdint>

#include <boost/json.hpp>

#include "harness/metrics/recorder.hpp"

namespace drover::reporting::detail {

// The "metrics" object: one entry per recorded metric, by name.
boost::json::object metrics_json(const metrics::recorder& merged, double elapsed_seconds);

// value rounded to the given number of decimals; non-finite values become 0.
double rounded(double value, int decimals);

// Counts as int64: what a parser reads back for them, and what schema validators call integers.
inline std::int64_t count_value(std::uint64_t n) {
  return n > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(n);
}

}  // namespace drover::reporting::detail
