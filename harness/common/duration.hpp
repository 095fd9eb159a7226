#pragma once
// Parsing and printing of human durations: "250ms", "30s", "1m30s", "2h", "1.5s".
// A bare number means milliseconds when called through parse_duration_ms.
#include <chrono>
#include <string>
#include <string_view>

namespace drover {

// Throws usage_error naming the text when it is not a duration.
std::chrono::milliseconds parse_duration(std::string_view text);

// Formats as the shortest exact unit ("500ms", "30s", "2m", "1m30s").
std::string format_duration(std::chrono::milliseconds d);

}  // namespace drover
