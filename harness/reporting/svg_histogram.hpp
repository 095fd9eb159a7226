#pragma once
// An inline SVG bar chart of one trend's histogram (log-scale x axis in the metric's unit,
// linear counts), with p50/p99 markers. Self-contained: no scripts, styled by the page's CSS
// classes (chart-*), every bar carries a <title> tooltip.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drover::reporting {

struct chart_bar {
  double lower = 0;  // inclusive, in the metric's unit
  double upper = 0;  // inclusive: the bar covers [lower, upper + resolution)
  std::uint64_t count = 0;
};

struct chart_marker {
  std::string label;  // "p50"
  double value = 0;
};

// resolution: the smallest step between values (0.001 for drover trends). Empty bars -> "".
std::string histogram_svg(std::string_view name, const std::vector<chart_bar>& bars, double resolution,
                          std::string_view unit, const std::vector<chart_marker>& markers);

}  // namespace drover::reporting
