#include "tests/conformance/fault_table.hpp"

#include <set>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace drover::testing {

namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Splits "| a | b \| c |" into cells, honouring "\|" (an escaped bar inside a cell).
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool started = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (c == '|') {
      if (started) cells.push_back(trim(cell));
      started = true;
      cell.clear();
    } else {
      cell += c;
    }
  }
  return cells;
}

std::string strip_backticks(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '`'), s.end());
  return trim(s);
}

}  // namespace

std::vector<std::string> parse_case_cell(const std::string& cell) {
  std::vector<std::string> ids;
  std::string token;
  auto flush = [&] {
    std::string id = strip_backticks(token);
    token.clear();
    if (id.empty()) return;
    bool is_id = std::isdigit(static_cast<unsigned char>(id[0])) &&
                 std::all_of(id.begin(), id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
    if (is_id) ids.push_back(id);
  };
  for (char c : cell) {
    if (c == ',' || c == ' ' || c == ';') flush();
    else token += c;
  }
  flush();
  return ids;
}

std::vector<fault_row> read_fault_table(const std::string& readme_path, const std::string& section) {
  std::ifstream in(readme_path);
  if (!in) throw std::runtime_error("cannot read " + readme_path);
  std::string line;
  bool in_section = false;
  int cases_column = -1;
  std::vector<fault_row> rows;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      if (in_section && cases_column >= 0) break;  // the next section: the table is done
      in_section = line.rfind(section, 0) == 0;
      cases_column = -1;
      continue;
    }
    if (!in_section || line.empty() || line[0] != '|') {
      if (in_section && cases_column >= 0 && !rows.empty()) break;  // the table ended
      continue;
    }
    auto cells = cells_of(line);
    if (cases_column < 0) {
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (lower(cells[i]).find("cases that must fail") != std::string::npos) cases_column = static_cast<int>(i);
      continue;
    }
    if (cells.empty() || cells[0].find("---") != std::string::npos) continue;
    fault_row row;
    row.fault = strip_backticks(cells[0]);
    if (static_cast<int>(cells.size()) > cases_column) row.cases = parse_case_cell(cells[cases_column]);
    rows.push_back(std::move(row));
  }
  if (cases_column < 0 || rows.empty())
    throw std::runtime_error(readme_path + ": no fault table with a \"cases that must fail\" column under " + section);
  return rows;
}

std::set<std::string> read_fault_listing(const std::string& listing_path) {
  std::set<std::string> offered;
  std::ifstream in(listing_path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string name;
    if (words >> name) offered.insert(name);
  }
  return offered;
}

std::vector<std::string> table_mismatches(const std::set<std::string>& offered, const std::vector<fault_row>& rows) {
  std::vector<std::string> out;
  std::set<std::string> tabled;
  for (const auto& row : rows) {
    tabled.insert(row.fault);
    if (row.cases.empty()) out.push_back("fault " + row.fault + " lists no case that must fail (fakes/README.md)");
  }
  for (const auto& f : offered)
    if (!tabled.count(f)) out.push_back("fault " + f + " has no row in fakes/README.md");
  for (const auto& f : tabled)
    if (!offered.count(f)) out.push_back("fakes/README.md lists " + f + ", the fake does not");
  return out;
}

}  // namespace drover::testing
