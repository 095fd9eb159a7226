#include "harness/reporting/svg_timeseries.hpp"

#include <algorithm>
#include <cmath>

#include <boost/json.hpp>

#include "harness/reporting/chart_scale.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting {
namespace {

// Also in the page's script (reports/report.html.in), which maps pointer positions with them.
constexpr double width = 640, height = 260;
constexpr double margin_left = 58, margin_right = 50, margin_top = 14, margin_bottom = 40;
constexpr double plot_w = width - margin_left - margin_right;
constexpr double plot_h = height - margin_top - margin_bottom;
constexpr double plot_units = 1000;  // the plot's y range in its own viewBox

std::string px(double v) { return fixed(v, 1); }

// A number for the data attribute: integral values without decimals, others to 3 decimals
// (Boost.JSON would write 3.1 as 3.1E0).
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  const std::string text = plain_number(v);
  return text == "-0" ? "0" : text;
}

double max_of(const std::vector<time_line>& lines, bool right) {
  double m = 0;
  for (const auto& l : lines) {
    if (l.right_axis != right) continue;
    for (const auto& v : l.values) {
      if (v && std::isfinite(*v)) m = std::max(m, *v);
    }
  }
  return m;
}

std::string y_ticks(const value_axis& axis, bool right) {
  std::string out;
  for (double t : axis.ticks) {
    const double yy = margin_top + plot_h - plot_h * t / axis.top;
    if (!right) {
      out += "<line class=\"chart-grid\" x1=\"" + px(margin_left) + "\" x2=\"" + px(margin_left + plot_w) + "\" y1=\"" +
             px(yy) + "\" y2=\"" + px(yy) + "\"/>";
    }
    out += "<text class=\"chart-label" + std::string(right ? " label-clients" : "") + "\" x=\"" +
           px(right ? margin_left + plot_w + 6 : margin_left - 6) + "\" y=\"" + px(yy + 4) + "\" text-anchor=\"" +
           (right ? "start" : "end") + "\">" + html_escape(plain_number(t)) + "</text>\n";
  }
  return out;
}

// One <polyline> per run of consecutive values; a lone value is drawn as a zero-length line
// (a dot with the round caps of the page's CSS).
std::string polylines(const time_line& line, const time_chart& chart, const value_axis& axis) {
  std::string out, points;
  std::size_t in_run = 0;
  const auto flush = [&] {
    if (in_run == 1) points += " " + points;
    if (in_run > 0) out += "<polyline points=\"" + points + "\"/>";
    points.clear();
    in_run = 0;
  };
  for (std::size_t i = 0; i < line.values.size() && i < chart.start_ms.size(); ++i) {
    const auto& v = line.values[i];
    if (!v || !std::isfinite(*v)) {
      flush();
      continue;
    }
    const double y = plot_units - plot_units * std::clamp(*v / axis.top, 0.0, 1.0);
    points += (points.empty() ? "" : " ") + px(interval_mid_ms(chart.start_ms[i], chart.end_ms[i])) + "," + px(y);
    ++in_run;
  }
  flush();
  return out;
}

// {"start":[ms...],"end":[ms...],"series":[{"name","unit","css","values":[number|null...]}]}
std::string series_json(const time_chart& chart) {
  const auto list = [](const std::vector<std::int64_t>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
    return out + "]";
  };
  const auto text = [](std::string_view s) { return boost::json::serialize(boost::json::string(valid_utf8(s))); };
  std::string out = "{\"start\":" + list(chart.start_ms) + ",\"end\":" + list(chart.end_ms) + ",\"series\":[";
  for (std::size_t i = 0; i < chart.lines.size(); ++i) {
    const auto& l = chart.lines[i];
    out += std::string(i ? "," : "") + "{\"name\":" + text(l.name) + ",\"unit\":" + text(l.right_axis ? "" : chart.unit) +
           ",\"css\":" + text(l.css) + ",\"values\":[";
    for (std::size_t k = 0; k < l.values.size(); ++k) {
      out += std::string(k ? "," : "") + (l.values[k] ? json_number(*l.values[k]) : "null");
    }
    out += "]}";
  }
  return out + "]}";
}

}  // namespace

double interval_mid_ms(std::int64_t start_ms, std::int64_t end_ms) {
  return (static_cast<double>(start_ms) + static_cast<double>(end_ms)) / 2;
}

std::string time_chart_figure(const time_chart& chart) {
  if (chart.start_ms.empty() || chart.start_ms.size() != chart.end_ms.size() || chart.lines.empty()) return {};
  const std::int64_t t0 = chart.start_ms.front();
  const std::int64_t t1 = std::max(chart.end_ms.back(), t0 + 1);
  const value_axis left = make_value_axis(max_of(chart.lines, false), 4, chart.counts);
  const bool has_right = std::any_of(chart.lines.begin(), chart.lines.end(), [](const auto& l) { return l.right_axis; });
  const value_axis right = make_value_axis(max_of(chart.lines, true), 4, true);  // clients
  const std::string bottom = px(margin_top + plot_h);

  std::string svg = "<svg class=\"chart time-chart\" viewBox=\"0 0 " + px(width) + " " + px(height) +
                    "\" role=\"img\" aria-label=\"" + html_escape(chart.title) + " over time\" data-t0=\"" +
                    std::to_string(t0) + "\" data-t1=\"" + std::to_string(t1) + "\" data-intervals=\"" +
                    std::to_string(chart.start_ms.size()) + "\" data-series=\"" + html_escape(series_json(chart)) +
                    "\">\n";
  svg += y_ticks(left, false);
  if (has_right) svg += y_ticks(right, true);
  svg += "<g class=\"time-axis\">";
  for (const auto& tick : time_ticks(t0, t1)) {
    const std::string xx = px(margin_left + plot_w * static_cast<double>(tick.at_ms - t0) / static_cast<double>(t1 - t0));
    svg += "<line class=\"chart-axis\" x1=\"" + xx + "\" x2=\"" + xx + "\" y1=\"" + bottom + "\" y2=\"" +
           px(margin_top + plot_h + 5) + "\"/><text class=\"chart-label\" x=\"" + xx + "\" y=\"" +
           px(margin_top + plot_h + 18) + "\" text-anchor=\"middle\">" + html_escape(tick.label) + "</text>";
  }
  svg += "</g>\n<svg class=\"plot\" x=\"" + px(margin_left) + "\" y=\"" + px(margin_top) + "\" width=\"" + px(plot_w) +
         "\" height=\"" + px(plot_h) + "\" viewBox=\"" + std::to_string(t0) + " 0 " + std::to_string(t1 - t0) + " " +
         px(plot_units) + "\" preserveAspectRatio=\"none\">\n";
  for (const auto& l : chart.lines) {
    svg += "<g class=\"series series-" + l.css + "\" data-name=\"" + html_escape(l.name) + "\">" +
           polylines(l, chart, l.right_axis ? right : left) + "</g>\n";
  }
  svg += "</svg>\n<line class=\"chart-axis\" x1=\"" + px(margin_left) + "\" x2=\"" + px(margin_left + plot_w) +
         "\" y1=\"" + bottom + "\" y2=\"" + bottom + "\"/>\n";
  svg += "<text class=\"chart-title\" x=\"" + px(margin_left + plot_w / 2) + "\" y=\"" + px(height - 6) +
         "\" text-anchor=\"middle\">time since start</text>\n";
  svg += "<text class=\"chart-title\" transform=\"translate(12 " + px(margin_top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + html_escape(chart.left_title) + "</text>\n";
  if (has_right) {
    svg += "<text class=\"chart-title label-clients\" transform=\"translate(" + px(width - 8) + " " +
           px(margin_top + plot_h / 2) + ") rotate(90)\" text-anchor=\"middle\">" + html_escape(chart.right_title) +
           "</text>\n";
  }
  svg += "</svg>\n";

  std::string legend;
  for (const auto& l : chart.lines) {
    legend += "<li class=\"legend-" + l.css + "\">" + html_escape(l.name) + "</li>";
  }
  return "<figure class=\"chart-card time-card\"><figcaption>" + html_escape(chart.title) + "</figcaption>\n" + svg +
         "<ul class=\"legend\">" + legend + "</ul>\n</figure>\n";
}

}  // namespace drover::reporting
