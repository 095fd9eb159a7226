#include "harness/reporting/text_format.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "harness/common/duration.hpp"
#include "harness/reporting/escape.hpp"

namespace drover::reporting {

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string out = buf;
  if (out == "-0" || out.find_first_not_of("-0.") == std::string::npos) {
    if (out.front() == '-') out.erase(0, 1);  // no "-0.00"
  }
  return out;
}

std::string plain_number(double value) {
  if (!std::isfinite(value)) return "-";
  if (std::fabs(value) < 1e15 && value == std::floor(value)) return fixed(value, 0);
  std::string out = fixed(value, 3);
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string milliseconds(double ms) {
  const double magnitude = std::fabs(ms);
  if (magnitude >= 10000) return fixed(ms, 0);
  if (magnitude >= 100) return fixed(ms, 1);
  if (magnitude >= 1) return fixed(ms, 2);
  return fixed(ms, 3);
}

std::string bytes(double count) {
  const double magnitude = std::fabs(count);
  if (magnitude < 1000) return plain_number(count) + " B";
  if (magnitude < 1e6) return fixed(count / 1e3, 1) + " kB";
  if (magnitude < 1e9) return fixed(count / 1e6, 2) + " MB";
  return fixed(count / 1e9, 2) + " GB";
}

std::string unit_value(double value, std::string_view unit) {
  if (unit == "ms") return milliseconds(value);
  if (unit == "bytes") return bytes(value);
  return plain_number(value);
}

std::string percent(double fraction) { return fixed(fraction * 100, 2) + "%"; }

std::string duration_ms(double ms) {
  if (!std::isfinite(ms) || ms <= 0) return "0s";
  return format_duration(std::chrono::milliseconds(std::llround(ms)));
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = display_width(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t w = display_width(text);
  std::string out;
  if (w < width) out.append(width - w, ' ');
  out += text;
  return out;
}

}  // namespace drover::reporting
