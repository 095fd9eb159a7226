#pragma once
// What every suite x fault matrix test does the same way: start a fake (`drover fake NAME ...`)
// on an OS-picked port, run `drover conform` against it into a fresh directory, read the
// verdicts back from summary.json, and hold a suite's runs to the promises of fakes/README.md
// (every case reports once; outside the fault's row only OK or INFORMATIONAL).
// Test-thread only; every object is independent.
#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/conformance/child_process.hpp"
#include "tests/conformance/fault_table.hpp"

namespace drover::testing {

// How ctest and failure messages name a row: "wrong-close:4001 -> 6.2 6.3".
void PrintTo(const fault_row& row, std::ostream* os);

// `drover fake NAME ARGS... --port 0` on loopback, stopped (SIGTERM) when this goes out of scope.
// `port` is empty when the fake did not print "listening on HOST:PORT" within 20 s.
struct running_fake {
  child_process process;
  std::string port;

  running_fake(const std::string& name, const std::vector<std::string>& args);
  // "ws://127.0.0.1:PORT" + path_and_query (which starts with '/').
  std::string url(const std::string& path_and_query = "/") const;
};

// An empty directory under the temp dir, unique per test process: PREFIX-PID/NAME (NAME cleaned).
std::filesystem::path fresh_dir(const std::string& prefix, const std::string& name);

struct conform_result {
  int exit_code = -1;
  std::map<std::string, std::string> verdicts;  // case id -> verdict
  std::size_t reports = 0;                      // entries in summary.json's cases (a case twice counts twice)
  std::map<std::string, double> received_invalid;  // message type -> frames from the server failing their schema
  double received_valid = 0;                       // frames from the server that passed their schema
  std::string log;                                 // console output, for failure messages
  double seconds = 0;                              // wall time of the run

  std::set<std::string> with(const std::set<std::string>& verdicts_wanted) const;
  std::set<std::string> failed() const { return with({"FAILED"}); }
  // The case ids reported, plus "(a case reported twice)" when one was, so that comparing it
  // with the suite's case list fails.
  std::set<std::string> reported() const;
};

// Runs `drover conform ARGS... --out OUT` to completion (console to OUT/console.txt) and reads
// OUT/summary.json. A run without a readable summary gives no verdicts (and its log says why).
conform_result run_conform(const std::vector<std::string>& args, const std::filesystem::path& out);

// fakes/README.md and its section's parts. `section` is the start of the heading ("## widb").
std::string fakes_readme();
std::vector<fault_row> table_or_empty(const std::string& section);  // empty when unreadable
std::set<std::string> unreachable_cases(const std::string& section);  // the "No fault reaches:" line's ids
// The `--list-faults` names of `drover fake ARGS...`.
std::set<std::string> offered_faults(const std::vector<std::string>& fake_args, const std::filesystem::path& dir);

// Every `id = "X.Y"` of scenarios/SUITE/cases_*.lua.
std::set<std::string> suite_cases(const std::string& suite);

std::string join(const std::set<std::string>& s);
std::string fault_test_name(const ::testing::TestParamInfo<fault_row>& info);  // "entries-lost" -> "EntriesLost"

// The matrix promises, as gtest expectations:
// - every case of `suite` reported exactly once;
// - outside `allowed_to_fail` only OK or INFORMATIONAL (a fault breaks one rule; the others pass
//   or say why they could not judge);
// - failed cases exactly `allowed_to_fail` (empty for a correct fake).
void expect_exactly_failed(const conform_result& r, const std::string& suite, const std::set<std::string>& expected,
                           const std::string& what);
// Every case the run reported is in some row or excused (not both), and every listed case exists.
void expect_every_case_reachable(const conform_result& r, const std::vector<fault_row>& rows,
                                 const std::set<std::string>& excused);

}  // namespace drover::testing
