#include "harness/reporting/svg_histogram.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "harness/reporting/escape.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting {
namespace {

constexpr double width = 640, height = 270;
constexpr double margin_left = 58, margin_right = 18, margin_top = 38, margin_bottom = 48;
constexpr double plot_w = width - margin_left - margin_right;
constexpr double plot_h = height - margin_top - margin_bottom;

std::string px(double v) { return fixed(v, 1); }

struct log_axis {
  double lo, hi;  // domain, lo > 0
  double x(double v) const {
    const double clamped = std::clamp(v, lo, hi);
    return margin_left + plot_w * (std::log10(clamped) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  }
};

// Pads the data range and widens it to at least one decade, so one narrow bucket does not
// fill the chart.
log_axis make_axis(const std::vector<chart_bar>& bars, double resolution) {
  double lo = HUGE_VAL, hi = 0;
  for (const auto& b : bars) {
    lo = std::min(lo, std::max(b.lower, resolution));
    hi = std::max(hi, b.upper + resolution);
  }
  lo /= 1.25;
  hi *= 1.25;
  if (hi / lo < 10) {
    const double center = std::sqrt(lo * hi);
    lo = center / std::sqrt(10.0);
    hi = center * std::sqrt(10.0);
  }
  return {lo, hi};
}

std::string tick_label(double v) {
  if (v >= 1000) return plain_number(v / 1000) + "k";
  return plain_number(v);
}

std::vector<double> log_ticks(const log_axis& axis) {
  std::vector<double> ticks, decades;
  for (int e = static_cast<int>(std::floor(std::log10(axis.lo))); e <= static_cast<int>(std::ceil(std::log10(axis.hi)));
       ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double t = m * std::pow(10.0, e);
      if (t >= axis.lo * 0.9999 && t <= axis.hi * 1.0001) {
        ticks.push_back(t);
        if (m == 1.0) decades.push_back(t);
      }
    }
  }
  return ticks.size() > 10 && decades.size() >= 2 ? decades : ticks;
}

// A "nice" step (1, 2 or 5 times a power of ten) giving about four gridlines.
double count_step(std::uint64_t max_count) {
  const double raw = std::max(1.0, static_cast<double>(max_count) / 4.0);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    if (f * magnitude >= raw) return std::max(1.0, f * magnitude);
  }
  return 10 * magnitude;
}

std::string anchor_safe(std::string_view label) {
  std::string out;
  for (char c : label) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

std::string axis_title(std::string_view unit) {
  if (unit == "ms") return "latency (ms, log scale)";
  if (unit == "bytes") return "size (bytes, log scale)";
  return "value (log scale)";
}

}  // namespace

std::string histogram_svg(std::string_view name, const std::vector<chart_bar>& bars, double resolution,
                          std::string_view unit, const std::vector<chart_marker>& markers) {
  if (bars.empty()) return {};
  const log_axis axis = make_axis(bars, resolution);
  std::uint64_t max_count = 1;
  for (const auto& b : bars) max_count = std::max(max_count, b.count);
  const double step = count_step(max_count);
  const double y_top = std::ceil(static_cast<double>(max_count) / step) * step;
  const auto y = [&](double count) { return margin_top + plot_h - plot_h * count / y_top; };
  const std::string bottom = px(margin_top + plot_h);
  const std::string unit_suffix = unit.empty() ? "" : " " + std::string(unit);

  std::string out = "<svg class=\"chart\" viewBox=\"0 0 " + px(width) + " " + px(height) +
                    "\" role=\"img\" aria-label=\"histogram of " + html_escape(name) + "\">\n";
  for (double c = 0; c <= y_top + 0.5; c += step) {
    const std::string yy = px(y(c));
    out += "<line class=\"chart-grid\" x1=\"" + px(margin_left) + "\" x2=\"" + px(margin_left + plot_w) + "\" y1=\"" +
           yy + "\" y2=\"" + yy + "\"/><text class=\"chart-label\" x=\"" + px(margin_left - 6) + "\" y=\"" +
           px(y(c) + 4) + "\" text-anchor=\"end\">" + plain_number(c) + "</text>\n";
  }
  for (double t : log_ticks(axis)) {
    const std::string xx = px(axis.x(t));
    out += "<line class=\"chart-axis\" x1=\"" + xx + "\" x2=\"" + xx + "\" y1=\"" + bottom + "\" y2=\"" +
           px(margin_top + plot_h + 5) + "\"/><text class=\"chart-label\" x=\"" + xx + "\" y=\"" +
           px(margin_top + plot_h + 18) + "\" text-anchor=\"middle\">" + tick_label(t) + "</text>\n";
  }

  // Few bars get wider minimum widths so single values stay visible as bars, not hairlines.
  const double min_bar_px = std::clamp(plot_w / (3.0 * static_cast<double>(bars.size())), 3.0, 12.0);
  double previous_right = margin_left;
  for (const auto& b : bars) {
    double left = axis.x(std::max(b.lower, axis.lo)), right = axis.x(b.upper + resolution);
    if (right - left < min_bar_px) {
      const double center = (left + right) / 2;
      left = std::max(center - min_bar_px / 2, previous_right);
      right = std::max(left + 1, center + min_bar_px / 2);
    }
    previous_right = right;
    const double top = y(static_cast<double>(b.count));
    out += "<rect class=\"chart-bar\" x=\"" + px(left) + "\" y=\"" + px(top) + "\" width=\"" + px(right - left) +
           "\" height=\"" + px(margin_top + plot_h - top) + "\"><title>" + plain_number(b.lower) + " to " +
           plain_number(b.upper) + unit_suffix + ": " + std::to_string(b.count) + "</title></rect>\n";
  }
  out += "<line class=\"chart-axis\" x1=\"" + px(margin_left) + "\" x2=\"" + px(margin_left + plot_w) + "\" y1=\"" +
         bottom + "\" y2=\"" + bottom + "\"/>\n";

  // Labels on their own rows above the plot so close markers never overlap.
  double label_y = 13;
  for (const auto& m : markers) {
    const double x = axis.x(m.value);
    const bool near_right = x > width - 110;
    out += "<line class=\"chart-marker marker-" + anchor_safe(m.label) + "\" x1=\"" + px(x) + "\" x2=\"" + px(x) + "\" y1=\"" + px(label_y + 3) +
           "\" y2=\"" + bottom + "\"/><text class=\"chart-marker-label marker-" + anchor_safe(m.label) + "\" x=\"" + px(near_right ? x - 4 : x + 4) +
           "\" y=\"" + px(label_y) + "\" text-anchor=\"" + (near_right ? "end" : "start") + "\">" +
           html_escape(m.label) + " " + html_escape(unit == "ms" ? milliseconds(m.value) + " ms" : unit_value(m.value, unit)) +
           "</text>\n";
    label_y += 13;
  }
  out += "<text class=\"chart-title\" x=\"" + px(margin_left + plot_w / 2) + "\" y=\"" + px(height - 8) +
         "\" text-anchor=\"middle\">" + axis_title(unit) + "</text>\n";
  out += "<text class=\"chart-title\" transform=\"translate(14 " + px(margin_top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">count</text>\n";
  return out + "</svg>\n";
}

}  // namespace drover::reporting
