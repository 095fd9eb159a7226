#pragma once
// Input framing shared by the fuzz targets: one input holds several fields separated by a
// NUL byte (seeds are text files; the fuzzer may drop or add separators at will).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace drover::fuzz {

inline std::vector<std::string_view> split_fields(const std::uint8_t* data, std::size_t size, char separator = '\0') {
  std::vector<std::string_view> out;
  std::string_view all(reinterpret_cast<const char*>(data), size);
  while (true) {
    auto at = all.find(separator);
    out.push_back(all.substr(0, at));
    if (at == std::string_view::npos) break;
    all.remove_prefix(at + 1);
  }
  return out;
}

}  // namespace drover::fuzz
