#pragma once
// Reads a fake's fault table from fakes/README.md: the table under the heading that starts
// with `section` (e.g. "## wearable") whose header has a "cases that must fail" column. That
// table is the single source of truth for which conformance cases each fault must fail.
#include <string>
#include <vector>

namespace drover::testing {

struct fault_row {
  std::string fault;               // "wrong-close:4001" (backticks removed)
  std::vector<std::string> cases;  // {"6.2", "6.3"}; empty when the cell is empty or "TBD"
};

// Throws std::runtime_error when the file cannot be read or has no such table.
std::vector<fault_row> read_fault_table(const std::string& readme_path, const std::string& section);

// Parses one cell of case ids: "6.2, 6.3", "`6.2`, `6.3`" or "6.2 6.3"; "TBD"/"—" give none.
std::vector<std::string> parse_case_cell(const std::string& cell);

}  // namespace drover::testing
