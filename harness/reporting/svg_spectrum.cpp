#include "harness/reporting/svg_spectrum.hpp"

#include <algorithm>
#include <cmath>

#include "harness/reporting/chart_scale.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting {
namespace {

constexpr double width = 640, height = 270;
constexpr double margin_left = 58, margin_right = 18, margin_top = 20, margin_bottom = 48;
constexpr double plot_w = width - margin_left - margin_right;
constexpr double plot_h = height - margin_top - margin_bottom;

std::string px(double v) { return fixed(v, 1); }

std::string value_text(double v, std::string_view unit) {
  return unit == "ms" ? milliseconds(v) + " ms" : unit_value(v, unit);
}

const char* const nines_labels[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};

}  // namespace

std::string spectrum_svg(std::string_view name, const std::vector<spectrum_point>& points, std::string_view unit) {
  if (points.empty()) return {};
  double max_value = 0;
  for (const auto& p : points) max_value = std::max(max_value, p.value);
  const value_axis axis = make_value_axis(max_value);
  const auto x = [](double nines) { return margin_left + plot_w * std::clamp(nines, 0.0, spectrum_max_nines) / spectrum_max_nines; };
  const auto y = [&](double v) { return margin_top + plot_h - plot_h * std::clamp(v / axis.top, 0.0, 1.0); };
  const std::string bottom = px(margin_top + plot_h);

  std::string out = "<svg class=\"chart spectrum-chart\" viewBox=\"0 0 " + px(width) + " " + px(height) +
                    "\" role=\"img\" aria-label=\"percentile spectrum of " + html_escape(name) + "\">\n";
  for (double t : axis.ticks) {
    const std::string yy = px(y(t));
    out += "<line class=\"chart-grid\" x1=\"" + px(margin_left) + "\" x2=\"" + px(margin_left + plot_w) + "\" y1=\"" +
           yy + "\" y2=\"" + yy + "\"/><text class=\"chart-label\" x=\"" + px(margin_left - 6) + "\" y=\"" +
           px(y(t) + 4) + "\" text-anchor=\"end\">" + html_escape(plain_number(t)) + "</text>\n";
  }
  for (int n = 0; n <= static_cast<int>(spectrum_max_nines); ++n) {
    const std::string xx = px(x(n));
    out += "<line class=\"chart-grid\" x1=\"" + xx + "\" x2=\"" + xx + "\" y1=\"" + px(margin_top) + "\" y2=\"" +
           px(margin_top + plot_h + 5) + "\"/><text class=\"chart-label\" x=\"" + xx + "\" y=\"" +
           px(margin_top + plot_h + 18) + "\" text-anchor=\"" + (n == static_cast<int>(spectrum_max_nines) ? "end" : "middle") +
           "\">" + nines_labels[n] + "</text>\n";
  }
  std::string line;
  for (const auto& p : points) line += (line.empty() ? "" : " ") + px(x(p.nines)) + "," + px(y(p.value));
  out += "<polyline class=\"spectrum-line\" points=\"" + line + "\"/>\n";
  // A dot with its numbers at each whole nine (p0, p90, p99, ...), for hover and for print.
  for (const auto& p : points) {
    if (std::abs(p.nines - std::round(p.nines)) > 1e-9) continue;
    out += "<circle class=\"spectrum-dot\" cx=\"" + px(x(p.nines)) + "\" cy=\"" + px(y(p.value)) +
           "\" r=\"3.5\"><title>p" + html_escape(plain_number(p.percentile)) + ": " +
           html_escape(value_text(p.value, unit)) + "</title></circle>\n";
  }
  out += "<line class=\"chart-axis\" x1=\"" + px(margin_left) + "\" x2=\"" + px(margin_left + plot_w) + "\" y1=\"" +
         bottom + "\" y2=\"" + bottom + "\"/>\n";
  out += "<text class=\"chart-title\" x=\"" + px(margin_left + plot_w / 2) + "\" y=\"" + px(height - 8) +
         "\" text-anchor=\"middle\">percentile (log scale of 1/(1\xE2\x88\x92p))</text>\n";
  out += "<text class=\"chart-title\" transform=\"translate(14 " + px(margin_top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + html_escape(unit == "ms" ? "latency (ms)" : unit.empty() ? "value" : unit) + "</text>\n";
  return out + "</svg>\n";
}

}  // namespace drover::reporting
