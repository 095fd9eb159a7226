#pragma once
// A hand-filled mixed-fleet run (two scenarios, tagged sub-metrics, per-scenario thresholds)
// with results over time ("timeseries": six intervals, the last one shorter, a trend with a gap,
// errors and close codes in some intervals), for the HTML report's over-time, spectrum and
// scenario sections. Fixed numbers, so the report is deterministic (golden fleet_report.html).
#include <boost/json.hpp>

namespace drover::reporting::testing {

boost::json::object sample_fleet_document();

// The "timeseries" member alone (the shape agreed with the runner's writer).
boost::json::object sample_timeseries();

}  // namespace drover::reporting::testing
