#include "harness/common/duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "harness/common/error.hpp"

namespace drover {

std::chrono::milliseconds parse_duration(std::string_view text) {
  auto fail = [&]() -> std::chrono::milliseconds {
    throw usage_error("'" + std::string(text) +
                      "' is not a duration (examples: 500ms, 30s, 2m, 1m30s, 1h)");
  };
  if (text.empty()) return fail();
  double total_ms = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (start == i) return fail();
    std::string number(text.substr(start, i - start));
    char* end = nullptr;
    double value = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(value)) return fail();
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double factor;
    if (unit.empty()) {
      if (any || i != text.size()) return fail();
      factor = 1;  // a bare number is milliseconds
    } else if (unit == "ms") {
      factor = 1;
    } else if (unit == "s") {
      factor = 1000;
    } else if (unit == "m") {
      factor = 60'000;
    } else if (unit == "h") {
      factor = 3'600'000;
    } else {
      return fail();
    }
    total_ms += value * factor;
    any = true;
  }
  if (total_ms > 1e12) return fail();
  return std::chrono::milliseconds(static_cast<long long>(std::llround(total_ms)));
}

std::string format_duration(std::chrono::milliseconds d) {
  long long ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  long long s = ms / 1000;
  std::string out;
  if (s >= 3600 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s >= 60) {
    out = std::to_string(s / 60) + "m";
    if (s % 60) out += std::to_string(s % 60) + "s";
    return out;
  }
  return std::to_string(s) + "s";
}

}  // namespace drover
