#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/html_parts.hpp"
#include "harness/reporting/summaries.hpp"
#include "harness/reporting/svg_histogram.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting::html {
namespace {

namespace json = boost::json;

std::string num(double v) { return plain_number(v); }
std::string count(std::int64_t v) { return std::to_string(v); }

std::string unit_label(std::string_view unit) { return unit.empty() ? "" : " <span class=\"unit\">" + esc(unit) + "</span>"; }

}  // namespace

std::string thresholds_section(const json::object& doc) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const auto& item : view::array(doc, "thresholds")) {
    const auto& t = view::as_object(item);
    const bool ok = view::boolean(t, "ok");
    const auto actual = view::number(t, "actual");
    rows.push_back({mark(ok), "<code>" + esc(view::string(t, "expression")) + "</code>",
                    actual ? num(*actual) : "<span class=\"muted\">no data</span>", esc(view::string(t, "message"))});
    classes.push_back(ok ? "" : "row-failed");
  }
  if (rows.empty()) return {};
  return table({{""}, {"threshold"}, {"actual", true}, {"result"}}, rows, classes);
}

std::string checks_section(const json::object& doc) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const auto* c : checks_failures_first(doc)) {
    const auto fails = view::integer(*c, "fails");
    rows.push_back({mark(fails == 0), esc(view::string(*c, "name")), count(view::integer(*c, "passes")), count(fails),
                    percent(view::number_or(*c, "rate")),
                    fails > 0 ? esc_clipped(view::string(*c, "first_failure"), 500) : ""});
    classes.push_back(fails > 0 ? "row-failed" : "");
  }
  if (rows.empty()) return {};
  return table({{""}, {"check"}, {"passes", true}, {"fails", true}, {"success", true}, {"first failure"}}, rows,
               classes);
}

std::string percentiles_section(const json::object& doc) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : view::object(doc, "metrics")) {
    const auto& metric = view::as_object(m.value());
    if (view::string(metric, "type") != "trend") continue;
    const auto unit = view::string(metric, "unit");
    const auto n = view::integer(metric, "count");
    std::vector<std::string> row{"<code>" + esc(m.key()) + "</code>" + unit_label(unit), count(n)};
    for (const char* key : {"min", "p50", "p90", "p95", "p99", "p99.9", "max", "mean"}) {
      row.push_back(n > 0 ? esc(unit_value(view::number_or(metric, key), unit)) : "-");
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return {};
  return table({{"metric"}, {"count", true}, {"min", true}, {"p50", true}, {"p90", true}, {"p95", true},
                {"p99", true}, {"p99.9", true}, {"max", true}, {"mean", true}},
               rows);
}

std::string charts_section(const json::object& doc) {
  std::string out;
  for (const auto& m : view::object(doc, "metrics")) {
    const auto& metric = view::as_object(m.value());
    if (view::string(metric, "type") != "trend" || view::integer(metric, "count") == 0) continue;
    std::vector<chart_bar> bars;
    for (const auto& item : view::array(metric, "histogram")) {
      if (!item.is_array() || item.get_array().size() != 3) continue;
      const auto& a = item.get_array();
      const auto lower = view::as_number(a[0]), upper = view::as_number(a[1]), n = view::as_number(a[2]);
      if (lower && upper && n && *lower >= 0 && *upper >= *lower && *n >= 0) bars.push_back({*lower, *upper, static_cast<std::uint64_t>(*n)});
    }
    const auto unit = view::string(metric, "unit");
    std::vector<chart_marker> markers;
    for (const char* p : {"p50", "p99"}) {
      if (auto v = view::number(metric, p)) markers.push_back({p, *v});
    }
    const std::string svg = histogram_svg(m.key(), bars, 0.001, unit, markers);
    if (svg.empty()) continue;
    out += "<figure class=\"chart-card\"><figcaption><code>" + esc(m.key()) + "</code>" + unit_label(unit) +
           " <span class=\"muted\">\xC2\xB7 " + count(view::integer(metric, "count")) + " values</span></figcaption>\n" + svg +
           "</figure>\n";
  }
  return out.empty() ? out : "<div class=\"charts\">\n" + out + "</div>\n";
}

std::string counters_section(const json::object& doc) {
  std::vector<std::vector<std::string>> counters, rates, gauges;
  for (const auto& m : view::object(doc, "metrics")) {
    const auto& metric = view::as_object(m.value());
    const auto type = view::string(metric, "type");
    const std::string name = "<code>" + esc(m.key()) + "</code>";
    if (type == "counter") {
      const auto unit = view::string(metric, "unit");
      const double rate = view::number_or(metric, "rate");
      counters.push_back({name, esc(unit_value(view::number_or(metric, "count"), unit)),
                          esc(unit == "bytes" ? bytes(rate) + "/s" : fixed(rate, rate >= 100 ? 0 : 2) + "/s")});
    } else if (type == "rate") {
      rates.push_back({name, percent(view::number_or(metric, "rate")), count(view::integer(metric, "passes")),
                       count(view::integer(metric, "fails"))});
    } else if (type == "gauge") {
      gauges.push_back({name, num(view::number_or(metric, "value")), num(view::number_or(metric, "max"))});
    }
  }
  std::string out;
  if (!counters.empty()) out += table({{"counter"}, {"total", true}, {"rate", true}}, counters);
  if (!rates.empty()) out += table({{"rate"}, {"rate", true}, {"passes", true}, {"fails", true}}, rates);
  if (!gauges.empty()) out += table({{"gauge"}, {"value", true}, {"max", true}}, gauges);
  return out;
}

std::string errors_section(const json::object& doc) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : view::array(doc, "errors")) {
    const auto& e = view::as_object(item);
    std::string samples;
    for (const auto& s : view::array(e, "samples")) {
      if (s.is_string()) samples += "<li>" + esc_clipped(s.get_string(), 500) + "</li>";
    }
    rows.push_back({"<code>" + esc(view::string(e, "kind")) + "</code>", count(view::integer(e, "count")),
                    samples.empty() ? "" : "<ul class=\"samples\">" + samples + "</ul>"});
  }
  if (rows.empty()) return {};
  return table({{"kind"}, {"count", true}, {"samples (first distinct messages)"}}, rows);
}

std::string close_codes_section(const json::object& doc) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : view::array(doc, "close_codes")) {
    const auto& c = view::as_object(item);
    rows.push_back({count(view::integer(c, "code")), esc(view::string(c, "meaning")), count(view::integer(c, "count"))});
  }
  if (rows.empty()) return {};
  return table({{"code", true}, {"meaning"}, {"count", true}}, rows);
}

}  // namespace drover::reporting::html
