#pragma once
// One `drover report compare` outcome: the documents, what was compared (metric rows for two
// run results, a case matrix for conform results), the judged --fail-on rules and the exit code;
// and its three writers (terminal table, compare.json, compare.html).
//
// Exit code: 1 when a --fail-on rule is broken, or when fail_on_regression is set and any row
// (or case) is a regression; else 0. Regressions alone do not fail: CI gates are explicit.
//
// Threading: pure functions over their arguments plus, for write_compare_outputs, file writes;
// callable from any thread.
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "harness/reporting/compare.hpp"
#include "harness/reporting/compare_cases.hpp"
#include "harness/reporting/compare_input.hpp"
#include "harness/reporting/compare_rules.hpp"

namespace drover::reporting::compare {

struct compare_options {
  noise_band band;
  std::vector<fail_rule> rules;
  bool fail_on_regression = false;
};

struct mark_counts {
  int regressions = 0, improvements = 0, within_noise = 0, changed = 0, unchanged = 0, added = 0, gone = 0;
};

struct compare_report {
  std::string kind;  // "run" or "conform"
  std::vector<compared_document> docs;
  compare_options options;
  run_comparison runs;  // kind "run"
  case_matrix cases;    // kind "conform"
  std::vector<rule_result> rules;
  mark_counts counts;
  int broken_rules = 0;
  int exit_code = 0;
};

// Throws usage_error: documents of mixed kinds or more than two runs (require_comparable),
// --fail-on rules given for conform results, a rule naming a metric neither document has.
compare_report build_compare_report(std::vector<compared_document> docs, const compare_options& options);

std::string render_compare_console(const compare_report& report, bool color);
boost::json::object compare_json(const compare_report& report);
// One self-contained page (inline CSS, no script, no network): every text from the documents
// escaped; dark and light mode follow the viewer's preference; prints legibly.
std::string render_compare_html(const compare_report& report);

// Writes dir/compare.json and dir/compare.html (creating dir). Throws file_error naming the path.
void write_compare_outputs(const compare_report& report, const std::filesystem::path& dir);

}  // namespace drover::reporting::compare
