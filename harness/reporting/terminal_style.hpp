#pragma once
// The terminal writers' shared look (the run summary in console.cpp, `drover report compare` in
// compare_console.cpp): two-space indent, ✓/✗ marks, ANSI colours only when asked for (a file or
// a pipe gets plain text). Pure functions; any thread.
#include <string>
#include <string_view>

namespace drover::reporting::terminal {

inline constexpr std::string_view indent = "  ";
inline constexpr std::string_view check_mark = "\xE2\x9C\x93";  // ✓
inline constexpr std::string_view cross_mark = "\xE2\x9C\x97";  // ✗

inline std::string bold(std::string_view t) { return "\x1b[1m" + std::string(t) + "\x1b[0m"; }

struct style {
  bool color;
  std::string paint(std::string_view code, std::string_view t) const {
    return color ? "\x1b[" + std::string(code) + "m" + std::string(t) + "\x1b[0m" : std::string(t);
  }
  std::string green(std::string_view t) const { return paint("32", t); }
  std::string red(std::string_view t) const { return paint("31", t); }
  std::string yellow(std::string_view t) const { return paint("33", t); }
  std::string blue(std::string_view t) const { return paint("34", t); }
  std::string dim(std::string_view t) const { return paint("2", t); }
  std::string strong(std::string_view t) const { return paint("1", t); }
  std::string mark(bool ok) const { return ok ? green(check_mark) : red(cross_mark); }
  // For text_table::render: bold headers, or none without colour.
  auto header_style() const { return color ? &bold : nullptr; }
};

}  // namespace drover::reporting::terminal
