// compare.json: what `drover report compare` found, for CI pipelines to read. Values are in
// each row's unit; "change" is new - base, "relative_change" (new - base) / |base| (null when
// the base is 0 or either side is missing).
#include <cmath>

#include "harness/reporting/compare_report.hpp"
#include "harness/reporting/doc_view.hpp"

namespace drover::reporting::compare {
namespace {

namespace json = boost::json;

json::value number(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

json::object document_of(const compared_document& d) {
  const auto& run = view::object(d.doc, "run");
  return json::object{{"label", d.label},
                      {"file", d.file.string()},
                      {"command", d.command},
                      {"scenario", view::string(run, "scenario")},
                      {"target", view::string(run, "target")},
                      {"started_at", view::string(run, "started_at")},
                      {"version", view::string(view::object(d.doc, "tool"), "version")},
                      {"status", view::string(view::object(d.doc, "outcome"), "status")}};
}

json::object row_of(const row& r) {
  return json::object{{"section", r.section},
                      {"metric", r.metric},
                      {"aggregation", r.aggregation},
                      {"unit", r.unit},
                      {"base", number(r.base)},
                      {"new", number(r.next)},
                      {"change", number(r.absolute_change())},
                      {"relative_change", number(r.relative_change())},
                      {"mark", mark_name(r.verdict)},
                      {"detail", r.detail.empty() ? json::value(nullptr) : json::value(r.detail)}};
}

json::object rule_of(const rule_result& r) {
  json::object o{{"rule", r.rule.text},
                 {"metric", r.rule.metric},
                 {"aggregation", r.rule.aggregation},
                 {"judged", r.judged},
                 {"broken", r.broken},
                 {"message", r.message}};
  o["base"] = r.value ? number(r.value->base) : json::value(nullptr);
  o["new"] = r.value ? number(r.value->next) : json::value(nullptr);
  return o;
}

json::object case_of(const case_row& r) {
  json::array verdicts;
  for (const auto& v : r.verdicts) verdicts.push_back(v ? json::value(*v) : json::value(nullptr));
  return json::object{{"id", r.id},
                      {"title", r.title},
                      {"verdicts", std::move(verdicts)},
                      {"differs", r.differs},
                      {"mark", mark_name(r.verdict)}};
}

}  // namespace

json::object compare_json(const compare_report& report) {
  json::object out;
  out["schema_version"] = 1;
  out["kind"] = report.kind;
  json::array docs;
  for (const auto& d : report.docs) docs.push_back(document_of(d));
  out["documents"] = std::move(docs);
  out["noise"] = json::object{{"relative", report.options.band.relative}, {"floor_ms", report.options.band.floor_ms}};
  if (report.kind == "run") {
    json::array rows, rules;
    for (const auto& r : report.runs.rows) rows.push_back(row_of(r));
    for (const auto& r : report.rules) rules.push_back(rule_of(r));
    out["rows"] = std::move(rows);
    out["rules"] = std::move(rules);
  } else {
    json::array cases;
    for (const auto& r : report.cases.rows) cases.push_back(case_of(r));
    out["cases"] = std::move(cases);
  }
  const auto& c = report.counts;
  out["counts"] = json::object{{"regression", c.regressions}, {"improvement", c.improvements},
                               {"within_noise", c.within_noise}, {"changed", c.changed},
                               {"unchanged", c.unchanged}, {"new", c.added}, {"gone", c.gone}};
  out["fail_on_regression"] = report.options.fail_on_regression;
  out["broken_rules"] = report.broken_rules;
  out["exit_code"] = report.exit_code;
  return out;
}

}  // namespace drover::reporting::compare
