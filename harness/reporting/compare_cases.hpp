#pragma once
// `drover report compare` for `drover conform` results: the cases of N runs side by side
// (Autobahn-style: a row per case, a column per run), each row marked against the first run
// (the baseline): a verdict that got worse in any later run is a regression, one that got better
// an improvement, a case missing from the baseline is new, one missing from a later run gone.
// Rows whose verdict differs between runs come first.
//
// Threading: pure functions over their arguments; callable from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "harness/reporting/compare.hpp"

namespace drover::reporting::compare {

// How bad a verdict is: OK and INFORMATIONAL 0, NON-STRICT 1, UNIMPLEMENTED 2, FAILED 3, an
// unknown verdict 3 (a document we cannot read is not better than FAILED).
int verdict_severity(std::string_view verdict);

struct case_row {
  std::string id;
  std::string title;                                // from the first run that has the case
  std::vector<std::optional<std::string>> verdicts;  // one per run; empty when the run lacks the case
  mark verdict = mark::unchanged;                   // against the first run
  bool differs = false;                             // not every run gave the same verdict
};

struct case_matrix {
  std::vector<case_row> rows;  // differing rows first, each group in the first run's case order
};

// docs: the runs in column order (at least one). Never throws on document content.
case_matrix compare_cases(const std::vector<const boost::json::object*>& docs);

}  // namespace drover::reporting::compare
