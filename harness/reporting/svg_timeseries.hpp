#pragma once
// An inline SVG line chart over a run's intervals (summary.json "timeseries"), drawn on the
// server so it reads without script, and built for the page's small script to make interactive
// (reports/report.html.in):
//  - the lines live in a nested <svg class="plot"> whose viewBox x is milliseconds since the
//    run's start and y 0..1000 (stretched, non-scaling strokes), so zooming the time axis is
//    one viewBox change and the script only redraws the x ticks (<g class="time-axis">);
//  - data-series on the chart holds every interval's numbers as JSON (HTML-escaped in the
//    attribute), which the script shows on hover with textContent, never as markup.
// A point sits at its interval's midpoint; an interval without a value (nullopt) breaks the
// line. Lines on the right axis (the active clients overlay) get their own scale.
// Pure functions over their arguments; any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace drover::reporting {

struct time_line {
  std::string name;             // legend and tooltip label (any text: escaped)
  std::string css;              // colour class suffix: "s0".."s7" or "clients"
  std::vector<std::optional<double>> values;  // one per interval
  bool right_axis = false;
};

struct time_chart {
  std::string title;            // aria label and figcaption (any text: escaped)
  std::string unit;             // tooltip suffix of left-axis values: "ms", "/s", "" ...
  std::string left_title;       // "latency (ms)"
  std::string right_title;      // "active clients" (used when a line is on the right axis)
  bool counts = false;          // left-axis values are whole counts: no ticks between integers
  std::vector<std::int64_t> start_ms, end_ms;  // the intervals, ascending, same length
  std::vector<time_line> lines;
};

// The <figure> with the chart and its legend; "" when there is no interval or no line.
std::string time_chart_figure(const time_chart& chart);

// The x position (0..1000 in the plot's own units is y; x is ms) of interval i: its midpoint.
double interval_mid_ms(std::int64_t start_ms, std::int64_t end_ms);

}  // namespace drover::reporting
