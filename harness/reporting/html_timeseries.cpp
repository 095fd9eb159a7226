// The report's "Over time" section (summary.json "timeseries") and its percentile spectra.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/html_parts.hpp"
#include "harness/reporting/percentile_spectrum.hpp"
#include "harness/reporting/svg_spectrum.hpp"
#include "harness/reporting/svg_timeseries.hpp"

namespace drover::reporting::html {
namespace {

namespace json = boost::json;

// "s0" .. "s7" (built by hand: GCC 12 warns falsely on "s" + std::to_string(...)).
std::string series_class(std::size_t i) {
  std::string out = "s";
  out += static_cast<char>('0' + i % 8);
  return out;
}

std::string left_title_for(std::string_view unit) {
  if (unit == "ms" || unit.empty()) return unit.empty() ? "value" : "latency (ms)";
  return "value (" + std::string(unit) + ")";
}

}  // namespace

std::vector<interval_view> timeseries_intervals(const json::object& doc) {
  std::vector<interval_view> out;
  for (const auto& item : view::array(view::object(doc, "timeseries"), "points")) {
    const auto& p = view::as_object(item);
    const auto start = view::number(p, "t_ms"), end = view::number(p, "end_ms");
    // Bounded (a century in ms) so that no difference of two of them overflows.
    constexpr double limit = 3.2e12;
    if (!start || !end || !(std::abs(*start) <= limit) || !(std::abs(*end) <= limit) || *end < *start) continue;
    // Intervals come in order; one out of order (a hand-edited document) is left out, not drawn backwards.
    if (!out.empty() && std::llround(*start) < out.back().end_ms) continue;
    out.push_back({std::llround(*start), std::llround(*end), &p});
  }
  return out;
}

time_chart interval_chart(const std::vector<interval_view>& intervals, std::string title, std::string unit,
                          std::string left_title) {
  time_chart chart;
  chart.title = std::move(title);
  chart.unit = std::move(unit);
  chart.left_title = std::move(left_title);
  chart.right_title = "active clients";
  for (const auto& iv : intervals) {
    chart.start_ms.push_back(iv.start_ms);
    chart.end_ms.push_back(iv.end_ms);
  }
  return chart;
}

time_line interval_line(const std::vector<interval_view>& intervals, std::string name, std::string css,
                        const std::function<std::optional<double>(const interval_view&)>& value) {
  time_line line{std::move(name), std::move(css), {}, false};
  for (const auto& iv : intervals) line.values.push_back(value(iv));
  return line;
}

time_line clients_line(const std::vector<interval_view>& intervals) {
  auto line = interval_line(intervals, "active clients", "clients",
                            [](const interval_view& iv) { return view::number(*iv.point, "active_clients"); });
  line.right_axis = true;
  return line;
}

std::optional<double> trend_value(const interval_view& iv, std::string_view trend, std::string_view key) {
  const auto& t = view::object(view::object(*iv.point, "trends"), trend);
  if (view::integer(t, "count") <= 0) return std::nullopt;
  return view::number(t, key);
}

std::vector<std::string> timeseries_trends(const json::object& doc, const std::vector<interval_view>& intervals) {
  std::set<std::string> seen;
  for (const auto& iv : intervals) {
    for (const auto& t : view::object(*iv.point, "trends")) seen.insert(std::string(t.key()));
  }
  // The document's order (a tagged sub-metric after its metric), then any the metrics lack.
  std::vector<std::string> out;
  for (const auto& m : view::object(doc, "metrics")) {
    if (seen.erase(std::string(m.key())) > 0) out.push_back(std::string(m.key()));
  }
  out.insert(out.end(), seen.begin(), seen.end());
  return out;
}

std::string over_time_section(const json::object& doc) {
  const auto intervals = timeseries_intervals(doc);
  if (intervals.empty()) return {};
  const auto rate = [](const interval_view& iv, std::string_view key) -> std::optional<double> {
    const double seconds = static_cast<double>(iv.end_ms - iv.start_ms) / 1000.0;
    if (!(seconds > 0)) return std::nullopt;
    return view::number_or(*iv.point, key) / seconds;
  };
  std::string out;
  const auto& metrics = view::object(doc, "metrics");
  for (const auto& name : timeseries_trends(doc, intervals)) {
    if (name.find('{') != std::string::npos) continue;  // a scenario's sub-metric: in its own section
    const auto unit = view::string(view::object(metrics, name), "type") == "trend"
                          ? view::string(view::object(metrics, name), "unit")
                          : std::string("ms");
    auto chart = interval_chart(intervals, name, unit, left_title_for(unit));
    std::size_t i = 0;
    for (const char* key : {"p50", "p95", "p99", "max"}) {
      auto line = interval_line(intervals, key, series_class(i++),
                                [&](const interval_view& iv) { return trend_value(iv, name, key); });
      // `drover report merge` keeps only the max per interval (percentiles do not merge).
      if (std::any_of(line.values.begin(), line.values.end(), [](const auto& v) { return v.has_value(); }))
        chart.lines.push_back(std::move(line));
    }
    chart.lines.push_back(clients_line(intervals));
    out += time_chart_figure(chart);
  }

  auto msgs = interval_chart(intervals, "messages per second", "/s", "messages/s");
  msgs.lines.push_back(interval_line(intervals, "sent", "s0", [&](const auto& iv) { return rate(iv, "msgs_sent"); }));
  msgs.lines.push_back(interval_line(intervals, "received", "s1", [&](const auto& iv) { return rate(iv, "msgs_received"); }));
  msgs.lines.push_back(clients_line(intervals));
  out += time_chart_figure(msgs);

  auto sessions = interval_chart(intervals, "sessions per second", "/s", "sessions/s");
  sessions.lines.push_back(interval_line(intervals, "opened", "s0", [&](const auto& iv) { return rate(iv, "sessions_opened"); }));
  sessions.lines.push_back(interval_line(intervals, "closed", "s1", [&](const auto& iv) { return rate(iv, "sessions_closed"); }));
  sessions.lines.push_back(clients_line(intervals));
  out += time_chart_figure(sessions);

  // Errors and close codes: a line per kind or code seen anywhere, 0 in the intervals without it.
  std::set<std::string> kinds;
  std::map<long long, std::string> codes;  // numeric order
  bool any_checks = false;
  for (const auto& iv : intervals) {
    for (const auto& e : view::object(*iv.point, "errors")) kinds.insert(std::string(e.key()));
    for (const auto& c : view::object(*iv.point, "close_codes")) {
      const std::string key(c.key());
      char* end = nullptr;
      const long long code = std::strtoll(key.c_str(), &end, 10);
      if (!key.empty() && end != nullptr && *end == '\0') codes.emplace(code, key);  // codes are numbers
    }
    any_checks = any_checks || view::number_or(*iv.point, "checks_failed") > 0 ||
                 view::number_or(*iv.point, "checks_passed") > 0;
  }
  if (!kinds.empty() || any_checks) {
    auto errors = interval_chart(intervals, "errors and failed checks per interval", "", "count per interval");
    errors.counts = true;
    std::size_t i = 0;
    for (const auto& kind : kinds) {
      errors.lines.push_back(interval_line(intervals, kind, series_class(i++), [&](const interval_view& iv) {
        return std::optional<double>(view::number_or(view::object(*iv.point, "errors"), kind));
      }));
    }
    errors.lines.push_back(interval_line(intervals, "checks failed", "failed", [](const interval_view& iv) {
      return std::optional<double>(view::number_or(*iv.point, "checks_failed"));
    }));
    out += time_chart_figure(errors);
  }
  if (!codes.empty()) {
    auto closes = interval_chart(intervals, "close codes per interval", "", "closes per interval");
    closes.counts = true;
    std::size_t i = 0;
    for (const auto& entry : codes) {
      // A copy, not the structured binding: clang 14 cannot capture one in a lambda.
      const std::string key = entry.second;
      closes.lines.push_back(interval_line(intervals, "close " + key, series_class(i++), [key](const interval_view& iv) {
        return std::optional<double>(view::number_or(view::object(*iv.point, "close_codes"), key));
      }));
    }
    out += time_chart_figure(closes);
  }
  const auto& ts = view::object(doc, "timeseries");
  const auto interval_ms = view::integer(ts, "interval_ms");
  return "<p class=\"lead muted\">" + std::to_string(intervals.size()) + " intervals" +
         (interval_ms > 0 ? " of " + esc(std::to_string(interval_ms)) + " ms" : std::string()) +
         "; the dashed line is the active clients (right axis). <span class=\"chart-hint\">Hover for an "
         "interval's numbers; drag or scroll to zoom the time axis of every chart; double-click to reset.</span></p>\n"
         "<div class=\"charts time-charts\">\n" + out + "</div>\n";
}

std::string spectrum_section(const json::object& doc) {
  std::string out;
  for (const auto& m : view::object(doc, "metrics")) {
    const auto& metric = view::as_object(m.value());
    if (view::string(metric, "type") != "trend" || view::integer(metric, "count") == 0) continue;
    const auto histogram = trend_histogram(metric);
    if (!histogram) continue;
    const auto unit = view::string(metric, "unit");
    const std::string svg = spectrum_svg(m.key(), percentile_spectrum(*histogram), unit);
    if (svg.empty()) continue;
    out += "<figure class=\"chart-card spectrum-card\"><figcaption><code>" + esc(m.key()) + "</code>" +
           (unit.empty() ? "" : " <span class=\"unit\">" + esc(unit) + "</span>") + "</figcaption>\n" + svg + "</figure>\n";
  }
  return out.empty() ? out : "<div class=\"charts\">\n" + out + "</div>\n";
}

}  // namespace drover::reporting::html
