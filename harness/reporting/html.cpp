#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/html_parts.hpp"
#include "harness/reporting/report_template.hpp"
#include "harness/reporting/summaries.hpp"
#include "harness/reporting/text_format.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace html {

std::string esc(std::string_view text) { return html_escape(text); }

std::string esc_clipped(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return esc(text);
  return esc(text.substr(0, max_bytes)) + "<span class=\"muted\"> \xE2\x80\xA6 (" +
         std::to_string(text.size() - max_bytes) + " more bytes)</span>";
}

std::string verdict_class(std::string_view verdict) {
  if (verdict == "OK") return "ok";
  if (verdict == "NON-STRICT") return "non-strict";
  if (verdict == "INFORMATIONAL") return "informational";
  if (verdict == "UNIMPLEMENTED") return "unimplemented";
  if (verdict == "FAILED") return "failed";
  return "unknown";
}

std::string verdict_badge(std::string_view verdict) {
  return "<span class=\"badge verdict-" + verdict_class(verdict) + "\">" + esc(verdict.empty() ? "?" : verdict) +
         "</span>";
}

std::string anchor(std::string_view prefix, std::string_view text) {
  std::string out(prefix);
  for (char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '_' || c == '-';
    out += plain ? c : '-';
  }
  return out;
}

std::string mark(bool ok) {
  return ok ? "<span class=\"mark mark-ok\" title=\"passed\">\xE2\x9C\x93</span>"
            : "<span class=\"mark mark-failed\" title=\"failed\">\xE2\x9C\x97</span>";
}

std::string table(const std::vector<column>& columns, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<std::string>& row_classes) {
  std::string out = "<div class=\"table-wrap\"><table>\n<thead><tr>";
  for (const auto& c : columns) out += std::string(c.numeric ? "<th class=\"num\">" : "<th>") + esc(c.title) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const bool has_class = r < row_classes.size() && !row_classes[r].empty();
    out += has_class ? "<tr class=\"" + row_classes[r] + "\">" : "<tr>";
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const bool numeric = c < columns.size() && columns[c].numeric;
      out += std::string(numeric ? "<td class=\"num\">" : "<td>") + rows[r][c] + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

}  // namespace html

namespace {

namespace json = boost::json;
using html::esc;

std::string status_class(const json::object& doc) {
  if (status_passed(doc)) return "passed";
  return view::string(view::object(doc, "outcome"), "status") == "interrupted" ? "interrupted" : "failed";
}

std::string tile(std::string_view label, const std::string& value, std::string_view tone) {
  return "<div class=\"tile tile-" + std::string(tone) + "\"><div class=\"tile-value\">" + value +
         "</div><div class=\"tile-label\">" + std::string(label) + "</div></div>\n";
}

// Headline figures: what a reader wants before any table.
std::string tiles(const json::object& doc) {
  std::string out;
  const auto& checks = view::array(doc, "checks");
  if (!checks.empty()) {
    std::int64_t passes = 0, total = 0;
    for (const auto& c : checks) {
      passes += view::integer(view::as_object(c), "passes");
      total += view::integer(view::as_object(c), "passes") + view::integer(view::as_object(c), "fails");
    }
    out += tile("checks passed", total > 0 ? percent(static_cast<double>(passes) / static_cast<double>(total)) : "-",
                passes == total ? "ok" : "failed");
  }
  const auto& thresholds = view::array(doc, "thresholds");
  if (!thresholds.empty()) {
    std::size_t ok = 0;
    for (const auto& t : thresholds) ok += view::boolean(view::as_object(t), "ok") ? 1 : 0;
    out += tile("thresholds met", std::to_string(ok) + " / " + std::to_string(thresholds.size()),
                ok == thresholds.size() ? "ok" : "failed");
  }
  if (const auto* cases = doc.if_contains("cases"); cases != nullptr && cases->is_array()) {
    std::size_t failed = 0;
    for (const auto& c : cases->get_array()) failed += view::string(view::as_object(c), "verdict") == "FAILED" ? 1 : 0;
    out += tile("cases failed", std::to_string(failed) + " / " + std::to_string(cases->get_array().size()),
                failed == 0 ? "ok" : "failed");
  }
  const auto& metrics = view::object(doc, "metrics");
  const auto& connecting = view::object(metrics, "ws_connecting");
  if (view::integer(connecting, "count") > 0) {
    out += tile("ws_connecting p99", esc(milliseconds(view::number_or(connecting, "p99"))) + " ms", "neutral");
  }
  for (const char* name : {"ws_msgs_sent", "ws_msgs_received"}) {
    const auto& m = view::object(metrics, name);
    if (view::string(m, "type") == "counter") out += tile(name, plain_number(view::number_or(m, "count")), "neutral");
  }
  std::int64_t errors = 0;
  for (const auto& e : view::array(doc, "errors")) errors += view::integer(view::as_object(e), "count");
  out += tile("errors", std::to_string(errors), errors == 0 ? "ok" : "failed");
  return "<div class=\"tiles\">\n" + out + "</div>\n";
}

std::string page_header(const json::object& doc) {
  const auto& tool = view::object(doc, "tool");
  const auto& outcome = view::object(doc, "outcome");
  std::string out = "<header class=\"page-header\">\n<div class=\"title-row\"><h1>" +
                    esc(view::string(tool, "name").empty() ? "drover" : view::string(tool, "name")) +
                    " <span class=\"command\">" + esc(view::string(doc, "command")) + "</span> <code>" +
                    esc(view::string(view::object(doc, "run"), "scenario")) + "</code></h1>\n";
  const auto status = view::string(outcome, "status");
  out += "<span class=\"status status-" + status_class(doc) + "\">" + esc(status.empty() ? "unknown" : status) +
         " \xC2\xB7 exit " + std::to_string(view::integer(outcome, "exit_code")) + "</span></div>\n";
  if (const auto message = view::string(outcome, "message"); !message.empty()) {
    out += "<p class=\"status-message\">" + esc(message) + "</p>\n";
  }
  out += "<dl class=\"settings\">\n";
  for (const auto& [key, value] : settings_of(doc)) {
    out += "<div><dt>" + esc(key) + "</dt><dd>" + esc(value) + "</dd></div>\n";
  }
  return out + "</dl>\n" + tiles(doc) + "</header>\n";
}

// Substitutes {{NAME}} slots in one pass, so a value that contains "{{BODY}}" stays text.
std::string fill_template(std::string_view tpl, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  std::size_t i = 0;
  while (i < tpl.size()) {
    const auto open = tpl.find("{{", i);
    const auto close = open == std::string_view::npos ? open : tpl.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    const auto name = tpl.substr(open + 2, close - open - 2);
    const auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    out += tpl.substr(i, open - i);
    out += it != values.end() ? std::string_view(it->second) : tpl.substr(open, close + 2 - open);
    i = close + 2;
  }
  out += tpl.substr(i);
  return out;
}

struct section {
  const char* id;
  const char* title;
  std::string body;
};

}  // namespace

std::string render_html(const boost::json::object& doc) {
  const std::vector<section> sections = {
      {"thresholds", "Thresholds", html::thresholds_section(doc)},
      {"checks", "Checks", html::checks_section(doc)},
      {"cases", "Conformance cases", html::cases_section(doc)},
      {"over-time", "Over time", html::over_time_section(doc)},
      {"scenarios", "Scenarios", html::scenarios_section(doc)},
      {"percentiles", "Percentiles", html::percentiles_section(doc)},
      {"spectrum", "Percentile spectrum", html::spectrum_section(doc)},
      {"histograms", "Latency histograms", html::charts_section(doc)},
      {"counters", "Counters", html::counters_section(doc)},
      {"errors", "Errors", html::errors_section(doc)},
      {"close-codes", "Close codes", html::close_codes_section(doc)},
      {"validation", "Schema validation", html::validation_section(doc)},
  };
  std::string nav, main;
  for (const auto& s : sections) {
    if (s.body.empty()) continue;
    nav += std::string("<a href=\"#") + s.id + "\">" + s.title + "</a>\n";
    main += std::string("<section class=\"card\" id=\"") + s.id + "\">\n<h2>" + s.title + "</h2>\n" + s.body +
            "</section>\n";
  }
  const auto& tool = view::object(doc, "tool");
  std::string body = page_header(doc) + "<nav class=\"toc\">\n" + nav + "</nav>\n<main>\n" + main + "</main>\n" +
                     "<footer>Generated by " + esc(view::string(tool, "name")) + " " +
                     esc(view::string(tool, "version")) + " \xC2\xB7 result document schema_version " +
                     std::to_string(view::integer(doc, "schema_version")) + "</footer>\n";

  const std::string title = "drover " + view::string(doc, "command") + " \xE2\x80\x94 " +
                            view::string(view::object(doc, "run"), "scenario") + " \xE2\x80\x94 " +
                            view::string(view::object(doc, "outcome"), "status");
  return fill_template(report_template, {{"TITLE", esc(title)}, {"BODY", body}});
}

}  // namespace drover::reporting
