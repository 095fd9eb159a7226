#pragma once
// The body of a Prometheus remote write 1.0 request: a WriteRequest (remote_write.proto)
// holding the series, protobuf-encoded, then compressed with snappy's block format (not the
// framed format), as the receiver expects with Content-Encoding: snappy. Any thread.
#include <string>
#include <vector>

#include "harness/export/prometheus_series.hpp"

namespace drover::exporting {

// The series are written as given (labels and samples must already be in the order the
// specification asks for: prometheus_series_builder produces them so).
std::string encode_remote_write(const std::vector<prometheus_series>& series);

}  // namespace drover::exporting
