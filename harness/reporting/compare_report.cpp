#include "harness/reporting/compare_report.hpp"

#include <fstream>

#include "harness/common/error.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting::compare {
namespace {

void count(mark_counts& c, mark m) {
  switch (m) {
    case mark::regression: ++c.regressions; break;
    case mark::improvement: ++c.improvements; break;
    case mark::within_noise: ++c.within_noise; break;
    case mark::changed: ++c.changed; break;
    case mark::unchanged: ++c.unchanged; break;
    case mark::added: ++c.added; break;
    case mark::gone: ++c.gone; break;
  }
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw file_error(file.string() + ": cannot write");
}

}  // namespace

compare_report build_compare_report(std::vector<compared_document> docs, const compare_options& options) {
  require_comparable(docs);
  compare_report report;
  report.kind = docs.front().command;
  report.options = options;
  report.docs = std::move(docs);
  if (report.kind == "run") {
    report.runs = compare_runs(report.docs[0].doc, report.docs[1].doc, options.band);
    for (const auto& r : report.runs.rows) count(report.counts, r.verdict);
    for (const auto& rule : options.rules) {
      report.rules.push_back(judge_rule(rule, report.runs, options.band));
      if (report.rules.back().broken) ++report.broken_rules;
    }
  } else {
    if (!options.rules.empty())
      throw usage_error("--fail-on \"" + options.rules.front().text +
                        "\": rules apply to drover run results; for conform results use --fail-on-regression");
    std::vector<const boost::json::object*> views;
    for (const auto& d : report.docs) views.push_back(&d.doc);
    report.cases = compare_cases(views);
    for (const auto& r : report.cases.rows) count(report.counts, r.verdict);
  }
  const bool gate = report.broken_rules > 0 || (options.fail_on_regression && report.counts.regressions > 0);
  report.exit_code = gate ? static_cast<int>(exit_code::failed) : static_cast<int>(exit_code::ok);
  return report;
}

void write_compare_outputs(const compare_report& report, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw file_error(dir.string() + ": cannot create the folder (" + ec.message() + ")");
  write_file(dir / "compare.json", render_json(compare_json(report)));
  write_file(dir / "compare.html", render_compare_html(report));
}

}  // namespace drover::reporting::compare
