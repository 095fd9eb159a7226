#include "tests/conformance/rule_coverage.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tests/conformance/fault_table.hpp"

namespace drover::testing {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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

// "| a | b |" -> {"a", "b"}; the coverage table has no escaped bars.
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line.substr(1));
  std::string cell;
  while (std::getline(in, cell, '|')) cells.push_back(trim(cell));
  if (!cells.empty() && cells.back().empty()) cells.pop_back();
  return cells;
}

}  // namespace

std::vector<std::string> suite_case_ids(const std::string& suite_dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(suite_dir)) {
    auto name = entry.path().filename().string();
    if (name.rfind("cases_", 0) == 0 && entry.path().extension() == ".lua") files.push_back(entry.path());
  }
  if (files.empty()) throw std::runtime_error("no cases_*.lua in " + suite_dir);
  std::sort(files.begin(), files.end());
  static const std::regex id_field(R"re(\bid\s*=\s*"([0-9][0-9.]*)")re");
  std::vector<std::string> ids;
  for (const auto& file : files) {
    std::string text = read_all(file.string());
    for (std::sregex_iterator it(text.begin(), text.end(), id_field), end; it != end; ++it) ids.push_back((*it)[1]);
  }
  return ids;
}

std::vector<std::string> document_rule_ids(const std::string& doc_path) {
  std::string text = read_all(doc_path);
  static const std::regex anchor(R"re(<a id="s([0-9]+)(\.[0-9]+)?"></a>)re");
  std::vector<std::string> sections;
  std::set<std::string> with_rules;
  std::vector<std::string> rules;
  for (std::sregex_iterator it(text.begin(), text.end(), anchor), end; it != end; ++it) {
    if ((*it)[2].matched) {
      rules.push_back((*it)[1].str() + (*it)[2].str());
      with_rules.insert((*it)[1]);
    } else {
      sections.push_back((*it)[1]);
    }
  }
  for (const auto& s : sections)
    if (!with_rules.count(s)) rules.push_back(s);
  return rules;
}

std::vector<coverage_row> read_coverage_table(const std::string& readme_path) {
  std::stringstream in(read_all(readme_path));
  std::string line;
  bool in_section = false;
  int rule_column = -1, cases_column = -1;
  std::vector<coverage_row> rows;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      if (in_section && !rows.empty()) break;
      in_section = lower(line).rfind("## rule coverage", 0) == 0;
      continue;
    }
    if (!in_section || line.empty() || line[0] != '|') {
      if (in_section && !rows.empty()) break;  // the table ended
      continue;
    }
    auto cells = cells_of(line);
    if (cases_column < 0) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (lower(cells[i]) == "rule") rule_column = static_cast<int>(i);
        if (lower(cells[i]).rfind("cases", 0) == 0) cases_column = static_cast<int>(i);
      }
      if (rule_column < 0) cases_column = -1;
      continue;
    }
    if (cells.empty() || cells[0].find("---") != std::string::npos) continue;
    if (static_cast<int>(cells.size()) <= std::max(rule_column, cases_column))
      throw std::runtime_error(readme_path + ": short row in the rule coverage table: " + line);
    coverage_row row;
    std::string rule = cells[rule_column];
    rule.erase(std::remove_if(rule.begin(), rule.end(), [](char c) { return c == '`'; }), rule.end());
    auto section_sign = rule.find("§");
    row.rule = trim(section_sign == std::string::npos ? rule : rule.substr(section_sign + std::string("§").size()));
    const std::string& cases = cells[cases_column];
    if (lower(cases).rfind("excused:", 0) == 0) {
      row.excuse = trim(cases.substr(8));
    } else {
      row.cases = parse_case_cell(cases);
    }
    rows.push_back(std::move(row));
  }
  if (cases_column < 0 || rows.empty())
    throw std::runtime_error(readme_path + ": no \"## Rule coverage\" table with rule and cases columns");
  return rows;
}

}  // namespace drover::testing
