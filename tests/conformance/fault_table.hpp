#pragma once
// Reads a fake's fault table from fakes/README.md: the table under the heading that starts
// with `section` (e.g. "## wearable") whose header has a "cases that must fail" column. That
// table is the single source of truth for which conformance cases each fault must fail.
#include <set>
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

// The fault names of a `drover fake NAME --list-faults` listing (the first word of each line).
std::set<std::string> read_fault_listing(const std::string& listing_path);

// What keeps the table and the fake from matching in both directions: a fault the fake offers
// with no row, a row naming no fault of the fake, a row listing no case. Empty when they match.
std::vector<std::string> table_mismatches(const std::set<std::string>& offered, const std::vector<fault_row>& rows);

}  // namespace drover::testing
