// compare.html: one self-contained page (inline CSS, no script, nothing fetched). Every text
// that comes from a document (paths, targets, metric and check names, case titles, verdicts) is
// escaped (xml_escape); the page's own markup is the only markup.
#include <string>

#include "harness/reporting/compare_format.hpp"
#include "harness/reporting/compare_report.hpp"
#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting::compare {
namespace {

// xml_escape: html_escape's five characters, and control characters (a terminal escape in a
// close reason) become U+FFFD instead of reaching the page.
std::string esc(std::string_view t) { return xml_escape(t); }

constexpr std::string_view style_sheet = R"css(
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2125; --muted: #5f6b76; --line: #d5dbe1; --head: #f1f4f7;
  --bad: #b42318; --bad-bg: #fde8e6; --good: #1a7f37; --good-bg: #e3f5e8; --warn: #8a5a00; --warn-bg: #fff3d6;
  --info: #1f5fa8; --info-bg: #e4eefb; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181c; --fg: #e3e7eb; --muted: #98a4b0; --line: #343b43; --head: #1f242a;
    --bad: #ff8a80; --bad-bg: #4a1d1a; --good: #7ee29a; --good-bg: #163a22; --warn: #f5c46b; --warn-bg: #43340f;
    --info: #9cc4ff; --info-bg: #1b2f4d; }
}
body { background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25em .7em; text-align: left; vertical-align: top; }
th { background: var(--head); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.detail { color: var(--muted); font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
.table-wrap { overflow-x: auto; }
.badge { border-radius: .7em; padding: 0 .55em; white-space: nowrap; font-size: .9em; }
.mark-regression, .verdict-failed { background: var(--bad-bg); color: var(--bad); }
.mark-improvement, .verdict-ok { background: var(--good-bg); color: var(--good); }
.mark-changed, .verdict-non-strict, .verdict-unimplemented { background: var(--warn-bg); color: var(--warn); }
.mark-new, .mark-gone, .verdict-informational { background: var(--info-bg); color: var(--info); }
.mark-within-noise, .mark-unchanged, .verdict-missing { color: var(--muted); }
tr.quiet td { color: var(--muted); }
.ok { color: var(--good); } .broken { color: var(--bad); }
.outcome { font-weight: 600; font-size: 1.1em; }
@media print { body { margin: 0; max-width: none; } th { background: none; } .badge { border: 1px solid currentColor; } }
)css";

// At most max_bytes of text, cut at a UTF-8 character boundary, with an ellipsis when cut.
std::string clipped(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string mark_class(mark m) {
  std::string name(mark_name(m));
  for (char& c : name)
    if (c == ' ') c = '-';
  return name;
}

std::string mark_badge(mark m) {
  return "<span class=\"badge mark-" + mark_class(m) + "\">" + esc(mark_name(m)) + "</span>";
}

std::string verdict_badge(const std::optional<std::string>& verdict) {
  if (!verdict) return "<span class=\"badge verdict-missing\">-</span>";
  std::string cls;
  for (char c : *verdict) cls += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : (c >= 'a' && c <= 'z') ? c : '-';
  return "<span class=\"badge verdict-" + cls + "\">" + esc(*verdict) + "</span>";
}

std::string column_title(const compare_report& report, std::size_t i) {
  if (report.docs.size() == 2) return i == 0 ? "base" : "new";
  return std::to_string(i + 1);
}

std::string documents_table(const compare_report& report) {
  std::string out = "<div class=\"table-wrap\"><table><thead><tr><th></th><th>result</th><th>target</th>"
                    "<th>started</th><th>drover</th><th>outcome</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < report.docs.size(); ++i) {
    const auto& d = report.docs[i];
    const auto& run = view::object(d.doc, "run");
    out += "<tr><th>" + esc(column_title(report, i)) + "</th><td>" + esc(d.file.string()) + "</td><td>" +
           esc(view::string(run, "target")) + "</td><td>" + esc(view::string(run, "started_at")) + "</td><td>" +
           esc(view::string(view::object(d.doc, "tool"), "version")) + "</td><td>" +
           esc(view::string(view::object(d.doc, "outcome"), "status")) + "</td></tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string outcome(const compare_report& report) {
  const auto& c = report.counts;
  std::string text = std::to_string(c.regressions) + " regression(s), " + std::to_string(c.improvements) +
                     " improvement(s)";
  if (report.kind == "run") text += ", " + std::to_string(c.within_noise) + " within noise";
  if (c.changed) text += ", " + std::to_string(c.changed) + " changed";
  if (c.added) text += ", " + std::to_string(c.added) + " new";
  if (c.gone) text += ", " + std::to_string(c.gone) + " gone";
  if (report.broken_rules > 0) text += "; " + std::to_string(report.broken_rules) + " --fail-on rule(s) broken";
  const bool ok = report.exit_code == 0;
  return std::string("<p class=\"outcome ") + (ok ? "ok" : "broken") + "\">" + (ok ? "\xE2\x9C\x93 " : "\xE2\x9C\x97 ") +
         esc(text) + " (exit " + std::to_string(report.exit_code) + ")</p>\n";
}

std::string rules_list(const compare_report& report) {
  if (report.rules.empty()) return {};
  std::string out = "<h2>--fail-on rules</h2>\n<ul>\n";
  for (const auto& r : report.rules) {
    const char* cls = !r.judged ? "muted" : r.broken ? "broken" : "ok";
    const char* sign = !r.judged ? "-" : r.broken ? "\xE2\x9C\x97" : "\xE2\x9C\x93";
    out += std::string("<li class=\"") + cls + "\">" + sign + " " + esc(r.message) + "</li>\n";
  }
  return out + "</ul>\n";
}

std::string run_tables(const compare_report& report) {
  std::string out, section;
  auto close = [&] {
    if (!section.empty()) out += "</tbody></table></div>\n";
  };
  for (const auto& r : report.runs.rows) {
    if (r.section != section) {
      close();
      section = r.section;
      out += "<h2>" + esc(section) + "</h2>\n<div class=\"table-wrap\"><table><thead><tr><th>metric</th>"
             "<th class=\"num\">base</th><th class=\"num\">new</th><th class=\"num\">change</th>"
             "<th class=\"num\">%</th><th>mark</th></tr></thead><tbody>\n";
    }
    const bool quiet = r.verdict == mark::within_noise || r.verdict == mark::unchanged;
    const std::string detail =
        r.detail.empty() ? "" : "<br><span class=\"detail\">" + esc(clipped(r.detail, 300)) + "</span>";
    out += std::string(quiet ? "<tr class=\"quiet\">" : "<tr>") + "<td>" + esc(r.metric + "." + r.aggregation) +
           detail + "</td><td class=\"num\">" + esc(format_value(r.base, r.unit)) + "</td><td class=\"num\">" +
           esc(format_value(r.next, r.unit)) + "</td><td class=\"num\">" +
           esc(format_change(r.absolute_change(), r.unit)) + "</td><td class=\"num\">" +
           esc(format_relative(r.relative_change())) + "</td><td>" + mark_badge(r.verdict) + "</td></tr>\n";
  }
  close();
  return out;
}

std::string case_matrix_table(const compare_report& report) {
  std::string out = "<h2>cases</h2>\n<p class=\"muted\">Cases whose verdict differs between the runs come first; "
                    "each row is marked against the first run.</p>\n<div class=\"table-wrap\"><table><thead><tr>"
                    "<th>case</th><th>title</th>";
  for (std::size_t i = 0; i < report.docs.size(); ++i) {
    const auto target = view::string(view::object(report.docs[i].doc, "run"), "target");
    out += "<th>" + esc(column_title(report, i)) + "<br><span class=\"muted\">" + esc(target) + "</span></th>";
  }
  out += "<th>mark</th></tr></thead><tbody>\n";
  for (const auto& r : report.cases.rows) {
    out += std::string(r.differs ? "<tr>" : "<tr class=\"quiet\">") + "<td>" + esc(r.id) + "</td><td>" +
           esc(r.title) + "</td>";
    for (const auto& v : r.verdicts) out += "<td>" + verdict_badge(v) + "</td>";
    out += "<td>" + mark_badge(r.verdict) + "</td></tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

}  // namespace

std::string render_compare_html(const compare_report& report) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                    "<title>drover report compare</title>\n<style>";
  out += style_sheet;
  out += "</style></head><body>\n<h1>drover report compare <span class=\"muted\">(" + esc(report.kind) +
         ")</span></h1>\n";
  out += documents_table(report);
  if (report.kind == "run") {
    const auto& band = report.options.band;
    out += "<p class=\"muted\">Noise band: \xC2\xB1" + esc(plain_number(band.relative * 100)) +
           "% of the base value, at least \xC2\xB1" + esc(plain_number(band.floor_ms)) + " ms for latencies.</p>\n";
  }
  out += outcome(report);
  out += rules_list(report);
  out += report.kind == "run" ? run_tables(report) : case_matrix_table(report);
  out += "</body></html>\n";
  return out;
}

}  // namespace drover::reporting::compare
