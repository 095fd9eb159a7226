#include "harness/reporting/text_table.hpp"

#include <algorithm>

#include "harness/reporting/escape.hpp"

namespace drover::reporting {

std::size_t visible_width(std::string_view text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    plain += text[i];
  }
  return display_width(plain);
}

std::string text_table::render(std::string_view indent, std::string (*header_style)(std::string_view)) const {
  std::size_t columns = header.size();
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<std::size_t> width(columns, 0);
  const auto measure = [&](const std::vector<std::string>& cells, std::size_t first_extra) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      width[c] = std::max(width[c], visible_width(cells[c]) + (c == 0 ? first_extra : 0));
    }
  };
  // The header's first cell is not indented, the rows' first cells are.
  measure(header, 0);
  for (const auto& row : rows) measure(row, indent.size());

  const auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    std::string out = is_header ? std::string() : std::string(indent);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::size_t w = width[c] - (c == 0 && !is_header ? indent.size() : 0);
      const std::size_t pad = w - std::min(w, visible_width(cells[c]));
      const bool right = c < right_aligned.size() && right_aligned[c];
      if (c > 0) out += "  ";
      if (right) out.append(pad, ' ');
      out += cells[c];
      if (!right) out.append(pad, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + '\n';
  };

  std::string out;
  if (!header.empty()) {
    std::string h = line(header, true);
    if (header_style != nullptr) {
      h.pop_back();
      h = header_style(h) + '\n';
    }
    out += h;
  }
  for (const auto& row : rows) out += line(row, false);
  return out;
}

}  // namespace drover::reporting
