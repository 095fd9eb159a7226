#pragma once
// How `drover report compare` writes a compared value, a change and a relative change, the
// same in the terminal table, the rule messages and compare.html. Locale-independent.
#include <optional>
#include <string>
#include <string_view>

namespace drover::reporting::compare {

// A value in a row's unit (compare.hpp row::unit): "0.412 ms", "1.2 kB", "51.7/s", "98.50%",
// "passed"/"breached", "105". Empty optional -> "-".
std::string format_value(std::optional<double> value, std::string_view unit);
// A signed change in the same unit: "+584.0 ms", "-2", "+0.50%" (percentage points for ratios).
std::string format_change(std::optional<double> change, std::string_view unit);
// A relative change as a signed percentage: "+12.3%", "-0.4%"; empty optional -> "".
std::string format_relative(std::optional<double> fraction);

}  // namespace drover::reporting::compare
