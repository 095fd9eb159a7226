#pragma once
// Turns what a run measured into its exit code and status (DESIGN.md exit codes):
// 130 interrupted, 3 no client could ever connect, 1 a check failed, a threshold was
// breached or a client died of a Lua error, 0 otherwise.
#include "harness/reporting/result_document.hpp"
#include "harness/runner/run_controller.hpp"

namespace drover::cli {

reporting::outcome decide_outcome(const runner::run_result& result);

}  // namespace drover::cli
