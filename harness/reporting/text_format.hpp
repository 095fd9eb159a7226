#pragma once
// Number and text formatting shared by the console, HTML and JUnit writers, so the same value
// reads the same everywhere. Locale-independent.
#include <cstddef>
#include <string>
#include <string_view>

namespace drover::reporting {

std::string fixed(double value, int decimals);  // "12.50"; non-finite -> "-"
// Integral values without decimals, others with up to 3 (trailing zeros trimmed).
std::string plain_number(double value);
// A latency in ms with precision by magnitude: "0.412", "5.27", "231.4", "12034".
std::string milliseconds(double ms);
std::string bytes(double count);  // "532 B", "12.3 kB", "1.23 MB" (decimal units)
// A trend or counter value in its unit ("ms", "bytes" or ""), without the unit name for ms.
std::string unit_value(double value, std::string_view unit);
std::string percent(double fraction);  // 0.985 -> "98.50%"
// A duration in ms from the document: "0s", "500ms", "1m30s" (drover::format_duration).
std::string duration_ms(double ms);

std::string pad_right(std::string_view text, std::size_t width);  // by display width
std::string pad_left(std::string_view text, std::size_t width);

}  // namespace drover::reporting
