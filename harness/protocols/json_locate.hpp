#pragma once
// Finds where a JSON pointer's value starts in a JSON text, so `drover validate` can print
// FILE:LINE for the offending value. Pure, any thread.
#include <cstddef>
#include <string_view>

namespace drover::protocols {

// 1-based line of the value at `pointer` in `text` (valid JSON). When the pointer does not
// resolve, the line of the deepest value on its path.
std::size_t line_of_pointer(std::string_view text, std::string_view pointer);

}  // namespace drover::protocols
