#pragma once
// Making document text (which holds server data) safe for each output format.
// All functions first repair invalid UTF-8 (each bad byte becomes U+FFFD).
#include <cstddef>
#include <string>
#include <string_view>

namespace drover::reporting {

std::string valid_utf8(std::string_view text);

// & < > " ' escaped: safe in element content and quoted attribute values.
std::string html_escape(std::string_view text);

// As html_escape, and characters XML 1.0 cannot carry at all (C0 controls other than tab,
// newline and carriage return) become U+FFFD.
std::string xml_escape(std::string_view text);

// One line for a terminal: control characters (escape sequences, newlines, tabs) become
// spaces or '?', and text longer than max_chars code points is cut with an ellipsis.
std::string terminal_line(std::string_view text, std::size_t max_chars = 160);

// Code points, which is the column width for the text drover prints.
std::size_t display_width(std::string_view text);

}  // namespace drover::reporting
