#include "harness/reporting/escape.hpp"

namespace drover::reporting {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not one
// (overlong forms, surrogates and values above U+10FFFF are invalid).
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

// Calls emit(code_point_text) for each code point of text, repairing invalid bytes.
template <typename Emit>
void for_each_code_point(std::string_view text, Emit&& emit) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = sequence_length(text, i);
    if (len == 0) {
      emit(replacement);
      ++i;
    } else {
      emit(text.substr(i, len));
      i += len;
    }
  }
}

void append_escaped(std::string& out, std::string_view cp) {
  switch (cp.front()) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += cp;
  }
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](std::string_view cp) { out += cp; });
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for_each_code_point(text, [&](std::string_view cp) { append_escaped(out, cp); });
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for_each_code_point(text, [&](std::string_view cp) {
    const auto c = static_cast<unsigned char>(cp.front());
    if (cp.size() == 1 && c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += replacement;
    } else {
      append_escaped(out, cp);
    }
  });
  return out;
}

std::string terminal_line(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  bool cut = false;
  for_each_code_point(text, [&](std::string_view cp) {
    if (cut) return;
    if (chars == max_chars) {
      out += "\xE2\x80\xA6";  // …
      cut = true;
      return;
    }
    const auto c = static_cast<unsigned char>(cp.front());
    if (cp.size() == 1 && (c == '\n' || c == '\r' || c == '\t')) {
      out += ' ';
    } else if (cp.size() == 1 && (c < 0x20 || c == 0x7F)) {
      out += '?';
    } else if (cp.size() == 2 && c == 0xC2 && static_cast<unsigned char>(cp[1]) < 0xA0) {
      out += '?';  // C1 controls (0x80-0x9F) can start terminal escape sequences too
    } else {
      out += cp;
    }
    ++chars;
  });
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for_each_code_point(text, [&](std::string_view) { ++n; });
  return n;
}

}  // namespace drover::reporting
