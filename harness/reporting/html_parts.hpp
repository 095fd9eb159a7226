#pragma once
// Pieces of the HTML report (internal to drover_reporting). Each section function returns the
// inner HTML of its section, or "" when the document has nothing for it. Everything taken from
// the document goes through esc().
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "harness/reporting/svg_timeseries.hpp"

namespace drover::reporting::html {

std::string esc(std::string_view text);
// Long texts (a message exchanged, an excerpt) cut at max_bytes with a note of what was left out.
std::string esc_clipped(std::string_view text, std::size_t max_bytes);
// A CSS class suffix for a verdict: "ok", "non-strict", "informational", "unimplemented", "failed".
std::string verdict_class(std::string_view verdict);
std::string verdict_badge(std::string_view verdict);
// An id attribute value made only of [A-Za-z0-9._-].
std::string anchor(std::string_view prefix, std::string_view text);

struct column {
  std::string title;
  bool numeric = false;  // right-aligned, tabular figures
};
// A responsive table; cells are HTML already. row_classes (optional) gives each row a class.
std::string table(const std::vector<column>& columns, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<std::string>& row_classes = {});
std::string mark(bool ok);  // ✓ / ✗ coloured

std::string thresholds_section(const boost::json::object& doc);
std::string checks_section(const boost::json::object& doc);
std::string percentiles_section(const boost::json::object& doc);
std::string charts_section(const boost::json::object& doc);
std::string counters_section(const boost::json::object& doc);
std::string errors_section(const boost::json::object& doc);
std::string close_codes_section(const boost::json::object& doc);
std::string validation_section(const boost::json::object& doc);
std::string cases_section(const boost::json::object& doc);
// Results over time (summary.json "timeseries"; "" without it), a percentile spectrum per trend,
// and a section per scenario of a mixed fleet (run.scenarios, two or more).
std::string over_time_section(const boost::json::object& doc);
std::string spectrum_section(const boost::json::object& doc);
std::string scenarios_section(const boost::json::object& doc);

// The document's intervals, in order (malformed or out-of-order points left out); point points
// into the document, which must outlive the views.
struct interval_view {
  std::int64_t start_ms = 0, end_ms = 0;
  const boost::json::object* point = nullptr;
};
std::vector<interval_view> timeseries_intervals(const boost::json::object& doc);
// Every trend name with values in some interval, in the document's metric order.
std::vector<std::string> timeseries_trends(const boost::json::object& doc, const std::vector<interval_view>& intervals);
time_chart interval_chart(const std::vector<interval_view>& intervals, std::string title, std::string unit,
                          std::string left_title);
time_line interval_line(const std::vector<interval_view>& intervals, std::string name, std::string css,
                        const std::function<std::optional<double>(const interval_view&)>& value);
// A trend's p50/p95/p99/max in an interval; nullopt when it had no value there.
std::optional<double> trend_value(const interval_view& iv, std::string_view trend, std::string_view key);

// The value of one tag of a tagged metric name: ("name{k:v,scenario:S}", "scenario") -> "S";
// "" when absent.
std::string metric_tag(std::string_view key, std::string_view tag);

}  // namespace drover::reporting::html
