// The report's per-scenario section of a mixed fleet: each scenario's sub-metrics
// ("name{scenario:S}"), its checks rate, its thresholds and its trends over time.
#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/html_parts.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting::html {
namespace {

namespace json = boost::json;

std::string code(std::string_view text) { return "<code>" + esc(text) + "</code>"; }

// The name a scenario's table shows: the base name, plus the tags other than scenario.
std::string short_name(std::string_view key) {
  const auto open = key.find('{');
  if (open == std::string_view::npos || key.back() != '}') return std::string(key);
  std::string others;
  std::string_view tags = key.substr(open + 1, key.size() - open - 2);
  while (!tags.empty()) {
    const auto comma = tags.find(',');
    const auto tag = tags.substr(0, comma);
    if (tag.substr(0, 9) != "scenario:") others += (others.empty() ? "" : ",") + std::string(tag);
    tags = comma == std::string_view::npos ? std::string_view() : tags.substr(comma + 1);
  }
  return std::string(key.substr(0, open)) + (others.empty() ? "" : "{" + others + "}");
}

std::string scenario_settings(const json::object& sc) {
  std::string out = esc(view::string(sc, "executor"));
  const auto vus = view::integer(sc, "vus");
  out += ", " + std::to_string(vus) + (vus == 1 ? " VU" : " VUs");
  if (view::number_or(sc, "start_time_ms") > 0) out += ", from " + esc(duration_ms(view::number_or(sc, "start_time_ms")));
  if (view::number_or(sc, "duration_ms") > 0) out += ", for " + esc(duration_ms(view::number_or(sc, "duration_ms")));
  out += ", exec " + code(view::string(sc, "exec"));
  return out;
}

std::string one_scenario(const json::object& doc, const json::object& sc, const std::vector<interval_view>& intervals) {
  const std::string name = view::string(sc, "name");
  std::vector<std::vector<std::string>> trends, counters;
  std::vector<std::string> trend_keys;
  for (const auto& m : view::object(doc, "metrics")) {
    if (metric_tag(m.key(), "scenario") != name) continue;
    const auto& metric = view::as_object(m.value());
    const auto type = view::string(metric, "type");
    const auto unit = view::string(metric, "unit");
    if (type == "trend") {
      const auto n = view::integer(metric, "count");
      std::vector<std::string> row{code(short_name(m.key())) + (unit.empty() ? "" : " <span class=\"unit\">" + esc(unit) + "</span>"),
                                   std::to_string(n)};
      for (const char* key : {"p50", "p90", "p95", "p99", "max"}) {
        row.push_back(n > 0 ? esc(unit_value(view::number_or(metric, key), unit)) : "-");
      }
      trends.push_back(std::move(row));
      if (n > 0) trend_keys.push_back(std::string(m.key()));
    } else if (type == "counter") {
      counters.push_back({code(short_name(m.key())), esc(unit_value(view::number_or(metric, "count"), unit)),
                          esc(fixed(view::number_or(metric, "rate"), 2)) + "/s"});
    } else if (type == "rate") {
      counters.push_back({code(short_name(m.key())),
                          std::to_string(view::integer(metric, "passes")) + " passed, " +
                              std::to_string(view::integer(metric, "fails")) + " failed",
                          esc(percent(view::number_or(metric, "rate")))});
    }
  }
  std::vector<std::vector<std::string>> thresholds;
  std::vector<std::string> threshold_classes;
  for (const auto& item : view::array(doc, "thresholds")) {
    const auto& t = view::as_object(item);
    if (metric_tag(view::string(t, "metric"), "scenario") != name) continue;
    const bool ok = view::boolean(t, "ok");
    const auto actual = view::number(t, "actual");
    thresholds.push_back({mark(ok), code(view::string(t, "expression")),
                          actual ? esc(plain_number(*actual)) : "<span class=\"muted\">no data</span>",
                          esc(view::string(t, "message"))});
    threshold_classes.push_back(ok ? "" : "row-failed");
  }

  std::string out = "<div class=\"scenario\" id=\"" + anchor("scenario-", name) + "\">\n<h3>" + esc(name) +
                    "</h3>\n<p class=\"lead\">" + scenario_settings(sc) + "</p>\n";
  if (!thresholds.empty())
    out += table({{""}, {"threshold"}, {"actual", true}, {"result"}}, thresholds, threshold_classes);
  if (!trends.empty())
    out += table({{"trend"}, {"count", true}, {"p50", true}, {"p90", true}, {"p95", true}, {"p99", true}, {"max", true}},
                 trends);
  if (!counters.empty()) out += table({{"counter / rate"}, {"total", true}, {"rate", true}}, counters);
  if (trends.empty() && counters.empty() && thresholds.empty())
    out += "<p class=\"muted\">No metric of this scenario was recorded.</p>\n";

  // Its trends' p95 over time, one line each.
  if (!intervals.empty()) {
    auto chart = interval_chart(intervals, name + ": p95 over time", "", "p95");
    std::size_t i = 0;
    for (const auto& key : timeseries_trends(doc, intervals)) {
      if (metric_tag(key, "scenario") != name) continue;
      chart.lines.push_back(interval_line(intervals, short_name(key), std::string("s") + static_cast<char>('0' + i++ % 8),
                                          [&](const interval_view& iv) { return trend_value(iv, key, "p95"); }));
    }
    if (!chart.lines.empty()) out += "<div class=\"charts time-charts\">\n" + time_chart_figure(chart) + "</div>\n";
  }
  return out + "</div>\n";
}

}  // namespace

std::string metric_tag(std::string_view key, std::string_view tag) {
  const auto open = key.find('{');
  if (open == std::string_view::npos || key.empty() || key.back() != '}') return {};
  std::string_view tags = key.substr(open + 1, key.size() - open - 2);
  while (!tags.empty()) {
    const auto comma = tags.find(',');
    const auto one = tags.substr(0, comma);
    if (one.size() > tag.size() && one.substr(0, tag.size()) == tag && one[tag.size()] == ':')
      return std::string(one.substr(tag.size() + 1));
    tags = comma == std::string_view::npos ? std::string_view() : tags.substr(comma + 1);
  }
  return {};
}

std::string scenarios_section(const json::object& doc) {
  const auto& list = view::array(view::object(doc, "run"), "scenarios");
  if (list.size() < 2) return {};
  const auto intervals = timeseries_intervals(doc);
  std::string nav, out;
  for (const auto& item : list) {
    const auto& sc = view::as_object(item);
    const auto name = view::string(sc, "name");
    if (name.empty()) continue;
    nav += "<a href=\"#" + anchor("scenario-", name) + "\">" + esc(name) + "</a> ";
    out += one_scenario(doc, sc, intervals);
  }
  if (out.empty()) return {};
  return "<p class=\"lead muted\">Each scenario's own sub-metrics (<code>name{scenario:\xE2\x80\xA6}</code>); the checks "
         "rate is the scenario's <code>checks</code>. " + nav + "</p>\n" + out;
}

}  // namespace drover::reporting::html
