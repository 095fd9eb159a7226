#pragma once
// Column layout for the console writer: cells are padded by visible width (UTF-8 code points,
// ANSI colour sequences ignored), so marks like ✓ and coloured cells line up.
#include <string>
#include <string_view>
#include <vector>

namespace drover::reporting {

struct text_table {
  std::vector<std::string> header;  // its first cell is the section title
  std::vector<bool> right_aligned;  // per column; missing entries mean left
  std::vector<std::vector<std::string>> rows;

  // Lines "indent + cells" separated by two spaces; the header line is not indented and is
  // passed through header_style (e.g. bold). Trailing spaces are trimmed.
  std::string render(std::string_view indent, std::string (*header_style)(std::string_view) = nullptr) const;
};

std::size_t visible_width(std::string_view text);

}  // namespace drover::reporting
