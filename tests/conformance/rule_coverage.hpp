#pragma once
// What a suite's rule-coverage test reads: the rules of a protocol document, the case ids a
// suite defines, and the "Rule coverage" table of the suite's README (rule -> cases, or an
// excuse). Throws std::runtime_error when a file cannot be read or has no such table.
#include <string>
#include <vector>

namespace drover::testing {

// Every `id = "X.Y"` in the suite directory's cases_*.lua files, in file and source order.
std::vector<std::string> suite_case_ids(const std::string& suite_dir);

// The rule numbers of a protocol document: each anchor <a id="sN.M"></a> gives "N.M"; a section
// anchor <a id="sN"></a> with no rule under it gives "N" (a section that is one table).
std::vector<std::string> document_rule_ids(const std::string& doc_path);

struct coverage_row {
  std::string rule;                // "4.4" (from a cell "§4.4")
  std::vector<std::string> cases;  // the case ids judging it
  std::string excuse;              // the reason after "excused:", when no case judges it
};

// The table under the heading "## Rule coverage" whose header has a "rule" and a "cases" column.
std::vector<coverage_row> read_coverage_table(const std::string& readme_path);

}  // namespace drover::testing
