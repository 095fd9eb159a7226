#pragma once
// Turns what a run measured into its exit code and status (DESIGN.md exit codes):
// 130 interrupted, 3 no client could ever connect, 1 a check failed, a threshold was
// breached or a client died of a Lua error, 0 otherwise.
#include "harness/reporting/result_document.hpp"
#include "harness/runner/run_controller.hpp"

namespace drover::cli {

reporting::outcome decide_outcome(const runner::run_result& result);

// For `drover conform`: 130 interrupted, 3 unreachable, 1 when a case is FAILED, else 0.
// cases: the cases' result objects (each with a "verdict").
reporting::outcome decide_conform_outcome(const runner::run_result& result, const boost::json::array& cases);

// The cases reported by a suite, parsed and sorted by id (numerically: 1.2 < 1.10).
boost::json::array collect_cases(const std::vector<std::string>& case_results);

}  // namespace drover::cli
