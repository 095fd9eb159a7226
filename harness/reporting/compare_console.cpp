// The terminal table of `drover report compare`, in the console writer's layout (sections with a
// bold header line, two-space columns, ✓/✗ marks). Document text is passed through
// terminal_line: a server's close reason or a case title cannot move the cursor.
#include <string>

#include "harness/reporting/compare_format.hpp"
#include "harness/reporting/compare_report.hpp"
#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/text_format.hpp"
#include "harness/reporting/terminal_style.hpp"
#include "harness/reporting/text_table.hpp"

namespace drover::reporting::compare {
namespace {

using terminal::bold;
using terminal::indent;

struct style : terminal::style {
  // compare::mark, spelled out: the base's mark() would hide the enum's name here.
  std::string mark_text(compare::mark m) const {
    const auto name = mark_name(m);
    switch (m) {
      case compare::mark::regression: return red(name);
      case compare::mark::improvement: return green(name);
      case compare::mark::changed: return yellow(name);
      case compare::mark::added:
      case compare::mark::gone: return blue(name);
      default: return dim(name);
    }
  }
  std::string ok(bool good) const { return terminal::style::mark(good); }
};

std::string line(std::string_view s, std::size_t max = 160) { return terminal_line(s, max); }

std::string describe(const compared_document& d) {
  const auto& run = view::object(d.doc, "run");
  std::string out = d.file.string();
  const auto target = view::string(run, "target");
  if (!target.empty()) out += "  " + target;
  const auto started = view::string(run, "started_at");
  if (!started.empty()) out += "  " + started;
  const auto version = view::string(view::object(d.doc, "tool"), "version");
  if (!version.empty()) out += "  drover " + version;
  return line(out);
}

std::string header(const compare_report& report, const style& st) {
  std::string out = st.paint("1", "drover report compare (" + report.kind + ")") + "\n";
  text_table t;
  if (report.docs.size() == 2) {
    t.rows.push_back({"base", describe(report.docs[0])});
    t.rows.push_back({"new", describe(report.docs[1])});
  } else {
    for (std::size_t i = 0; i < report.docs.size(); ++i)
      t.rows.push_back({std::to_string(i + 1), describe(report.docs[i])});
  }
  if (report.kind == "run") {
    const auto& band = report.options.band;
    t.rows.push_back({"noise", "\xC2\xB1" + plain_number(band.relative * 100) + "% of the base, at least \xC2\xB1" +
                                   plain_number(band.floor_ms) + " ms for latencies"});
  }
  return out + t.render(indent);
}

std::string rows_section(const compare_report& report, const style& st) {
  std::string out;
  std::string section;
  text_table t;
  auto flush = [&] {
    if (!t.rows.empty()) out += "\n" + t.render(indent, st.header_style());
    t.rows.clear();
  };
  for (const auto& r : report.runs.rows) {
    if (r.section != section) {
      flush();
      section = r.section;
      t.header = {section, "base", "new", "change", "%", "mark"};
      t.right_aligned = {false, true, true, true, true, false};
    }
    t.rows.push_back({line(r.metric + "." + r.aggregation, 80), format_value(r.base, r.unit),
                      format_value(r.next, r.unit), format_change(r.absolute_change(), r.unit),
                      format_relative(r.relative_change()), st.mark_text(r.verdict)});
  }
  flush();
  return out;
}

std::string cases_section(const compare_report& report, const style& st) {
  text_table t;
  const bool pair = report.docs.size() == 2;
  t.header = {"cases"};
  t.right_aligned = {false};
  for (std::size_t i = 0; i < report.docs.size(); ++i) {
    t.header.push_back(pair ? (i == 0 ? "base" : "new") : std::to_string(i + 1));
    t.right_aligned.push_back(false);
  }
  t.header.insert(t.header.end(), {"mark", "title"});
  for (const auto& r : report.cases.rows) {
    std::vector<std::string> cells{line(r.id, 40)};
    for (const auto& v : r.verdicts) cells.push_back(v ? line(*v, 20) : "-");
    cells.push_back(st.mark_text(r.verdict));
    cells.push_back(line(r.title, 80));
    t.rows.push_back(std::move(cells));
  }
  return t.rows.empty() ? std::string() : "\n" + t.render(indent, st.header_style());
}

std::string rules_section(const compare_report& report, const style& st) {
  if (report.rules.empty()) return {};
  std::string out = "\n" + (st.color ? bold("fail-on rules") : std::string("fail-on rules")) + "\n";
  for (const auto& r : report.rules)
    out += std::string(indent) + (r.judged ? st.ok(!r.broken) : std::string("-")) + " " + line(r.message, 240) + "\n";
  return out;
}

std::string verdict_line(const compare_report& report, const style& st) {
  const auto& c = report.counts;
  std::string tally = std::to_string(c.regressions) + " regression(s), " + std::to_string(c.improvements) +
                      " improvement(s)";
  if (report.kind == "run") tally += ", " + std::to_string(c.within_noise) + " within noise";
  if (c.changed) tally += ", " + std::to_string(c.changed) + " changed";
  if (c.added) tally += ", " + std::to_string(c.added) + " new";
  if (c.gone) tally += ", " + std::to_string(c.gone) + " gone";
  std::string why;
  if (report.broken_rules > 0)
    why = "; " + std::to_string(report.broken_rules) + " of " + std::to_string(report.rules.size()) +
          " --fail-on rule(s) broken";
  else if (report.exit_code != 0)
    why = "; --fail-on-regression";
  else if (c.regressions > 0 && report.rules.empty() && !report.options.fail_on_regression)
    why = "; no gate (--fail-on or --fail-on-regression) given";
  return "\n" + st.ok(report.exit_code == 0) + " " + tally + why + " (exit " + std::to_string(report.exit_code) +
         ")\n";
}

}  // namespace

std::string render_compare_console(const compare_report& report, bool color) {
  const style st{{color}};
  std::string out = header(report, st);
  out += report.kind == "run" ? rows_section(report, st) : cases_section(report, st);
  out += rules_section(report, st);
  out += verdict_line(report, st);
  return out;
}

}  // namespace drover::reporting::compare
