#include <string>

#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/summaries.hpp"
#include "harness/reporting/text_format.hpp"
#include "harness/reporting/terminal_style.hpp"
#include "harness/reporting/text_table.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

using terminal::bold;
using terminal::indent;

struct style : terminal::style {
  std::string verdict(std::string_view v) const {
    if (v == "OK") return green(v);
    if (v == "FAILED") return red(v);
    if (v == "NON-STRICT") return yellow(v);
    if (v == "INFORMATIONAL") return blue(v);
    return dim(v);
  }
};

std::string line(std::string_view s) { return terminal_line(s); }

std::string header_section(const json::object& doc, const style& st) {
  const auto& tool = view::object(doc, "tool");
  std::string out = st.strong(line(view::string(tool, "name") + " " + view::string(tool, "version") + " " +
                                   view::string(doc, "command")));
  out += '\n';
  text_table t;
  for (const auto& [key, value] : settings_of(doc)) {
    if (key != "time") t.rows.push_back({key, line(value)});
  }
  return out + t.render(indent);
}

std::string trends_section(const json::object& metrics, const style& st) {
  text_table t{{"trends", "count", "min", "p50", "p90", "p99", "p99.9", "max", "mean"},
               {false, true, true, true, true, true, true, true, true}, {}};
  for (const auto& m : metrics) {
    const auto& metric = view::as_object(m.value());
    if (view::string(metric, "type") != "trend") continue;
    const auto unit = view::string(metric, "unit");
    std::vector<std::string> row{line(std::string(m.key())) + (unit.empty() ? "" : " (" + unit + ")")};
    const auto count = view::integer(metric, "count");
    row.push_back(std::to_string(count));
    for (const char* key : {"min", "p50", "p90", "p99", "p99.9", "max", "mean"}) {
      row.push_back(count > 0 ? unit_value(view::number_or(metric, key), unit) : "-");
    }
    t.rows.push_back(std::move(row));
  }
  return t.rows.empty() ? std::string() : "\n" + t.render(indent, st.header_style());
}

std::string per_second(double rate, std::string_view unit) {
  if (unit == "bytes") return bytes(rate) + "/s";
  return fixed(rate, rate >= 100 ? 0 : rate >= 10 ? 1 : 2) + "/s";
}

std::string counters_section(const json::object& metrics, const style& st) {
  text_table counters{{"counters", "total", "rate"}, {false, true, true}, {}};
  text_table rates{{"rates", "rate", "passes", "fails"}, {false, true, true, true}, {}};
  text_table gauges{{"gauges", "value", "max"}, {false, true, true}, {}};
  for (const auto& m : metrics) {
    const auto& metric = view::as_object(m.value());
    const auto type = view::string(metric, "type");
    const auto name = line(std::string(m.key()));
    if (type == "counter") {
      const auto unit = view::string(metric, "unit");
      counters.rows.push_back({name, unit_value(view::number_or(metric, "count"), unit),
                               per_second(view::number_or(metric, "rate"), unit)});
    } else if (type == "rate") {
      rates.rows.push_back({name, percent(view::number_or(metric, "rate")),
                            std::to_string(view::integer(metric, "passes")),
                            std::to_string(view::integer(metric, "fails"))});
    } else if (type == "gauge") {
      gauges.rows.push_back(
          {name, plain_number(view::number_or(metric, "value")), plain_number(view::number_or(metric, "max"))});
    }
  }
  std::string out;
  for (const auto* t : {&counters, &rates, &gauges}) {
    if (!t->rows.empty()) out += "\n" + t->render(indent, st.header_style());
  }
  return out;
}

std::string checks_section(const json::object& doc, const style& st) {
  text_table t{{"checks", "passes", "fails", ""}, {false, true, true, false}, {}};
  for (const auto* c : checks_failures_first(doc)) {
    const auto fails = view::integer(*c, "fails");
    t.rows.push_back({st.mark(fails == 0) + " " + line(view::string(*c, "name")),
                      std::to_string(view::integer(*c, "passes")), std::to_string(fails),
                      fails > 0 ? "first failure: " + line(view::string(*c, "first_failure")) : ""});
  }
  return t.rows.empty() ? std::string() : "\n" + t.render(indent, st.header_style());
}

std::string thresholds_section(const json::object& doc, const style& st) {
  text_table t{{"thresholds", ""}, {}, {}};
  for (const auto& item : view::array(doc, "thresholds")) {
    const auto& th = view::as_object(item);
    t.rows.push_back({st.mark(view::boolean(th, "ok")) + " " + line(view::string(th, "expression")),
                      line(view::string(th, "message"))});
  }
  return t.rows.empty() ? std::string() : "\n" + t.render(indent, st.header_style());
}

std::string errors_section(const json::object& doc, const style& st) {
  text_table t{{"errors", "count", "first sample"}, {false, true, false}, {}};
  for (const auto& item : view::array(doc, "errors")) {
    const auto& e = view::as_object(item);
    const auto& samples = view::array(e, "samples");
    const std::string first = !samples.empty() && samples[0].is_string() ? std::string(samples[0].get_string()) : "";
    t.rows.push_back({st.red(line(view::string(e, "kind"))), std::to_string(view::integer(e, "count")), line(first)});
  }
  return t.rows.empty() ? std::string() : "\n" + t.render(indent, st.header_style());
}

std::string close_codes_section(const json::object& doc, const style& st) {
  text_table t{{"close codes", "count", "meaning"}, {false, true, false}, {}};
  for (const auto& item : view::array(doc, "close_codes")) {
    const auto& c = view::as_object(item);
    t.rows.push_back({std::to_string(view::integer(c, "code")), std::to_string(view::integer(c, "count")),
                      line(view::string(c, "meaning"))});
  }
  return t.rows.empty() ? std::string() : "\n" + t.render(indent, st.header_style());
}

std::string validation_section(const json::object& doc, const style& st) {
  const auto* v = doc.if_contains("validation");
  if (v == nullptr) return {};
  const auto& validation = view::as_object(*v);
  const auto totals = totals_of(validation);
  text_table t{{"validation", "messages", "invalid"}, {false, true, true}, {}};
  for (const auto& item : view::array(validation, "messages")) {
    const auto& m = view::as_object(item);
    const auto invalid = view::integer(m, "invalid");
    const auto invalid_text = std::to_string(invalid);
    t.rows.push_back({line(view::string(m, "direction") + " " + view::string(m, "type")),
                      std::to_string(view::integer(m, "count")), invalid > 0 ? st.red(invalid_text) : invalid_text});
  }
  t.rows.push_back({"total", std::to_string(totals.messages),
                    totals.invalid > 0 ? st.red(std::to_string(totals.invalid)) : std::to_string(totals.invalid)});
  std::string out = "\n" + t.render(indent, st.header_style());
  const auto& violations = view::array(validation, "violations");
  if (!violations.empty()) {
    const auto& first = view::as_object(violations[0]);
    out += std::string(indent) + "first violation: " +
           line(view::string(first, "direction") + " " + view::string(first, "type") + " at " +
                (view::string(first, "pointer").empty() ? "(root)" : view::string(first, "pointer")) + " (" +
                view::string(first, "keyword") + "): " + view::string(first, "message")) +
           "\n";
  }
  return out;
}

std::string cases_section(const json::object& doc, const style& st) {
  const auto* c = doc.if_contains("cases");
  if (c == nullptr || !c->is_array()) return {};
  const auto& cases = c->get_array();
  text_table t;
  for (const auto& item : cases) {
    const auto& k = view::as_object(item);
    const auto verdict = view::string(k, "verdict");
    t.rows.push_back({line(view::string(k, "id")), st.verdict(line(verdict)), line(view::string(k, "title"))});
    // Why a case did not pass: its findings with the case's verdict.
    if (verdict == "OK" || verdict == "INFORMATIONAL") continue;
    for (const auto& f : view::array(k, "findings")) {
      const auto& finding = view::as_object(f);
      if (view::string(finding, "verdict") == verdict) {
        t.rows.push_back({"", "", st.dim("\xE2\x86\xB3 " + line(view::string(finding, "message")))});
      }
    }
  }
  const std::string title = "cases: " + verdict_summary(cases);
  return "\n" + (st.color ? bold(title) : title) + "\n" + t.render(indent);
}

std::string status_line(const json::object& doc, const style& st) {
  const bool passed = status_passed(doc);
  const std::string text = line(status_text(doc));
  const bool interrupted = view::string(view::object(doc, "outcome"), "status") == "interrupted";
  const std::string painted = passed ? st.green(text) : interrupted ? st.yellow(text) : st.red(text);
  return "\n" + st.mark(passed) + " " + (st.color ? bold(painted) : painted) + "\n";
}

}  // namespace

std::string render_console(const boost::json::object& doc, bool color) {
  const style st{{color}};
  const auto& metrics = view::object(doc, "metrics");
  return header_section(doc, st) + trends_section(metrics, st) + counters_section(metrics, st) +
         checks_section(doc, st) + thresholds_section(doc, st) + errors_section(doc, st) +
         close_codes_section(doc, st) + validation_section(doc, st) + cases_section(doc, st) + status_line(doc, st);
}

}  // namespace drover::reporting
