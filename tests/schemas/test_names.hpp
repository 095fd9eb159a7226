#pragma once
// GoogleTest parameter names from free text: CamelCase letters and digits only, made
// unique with a numeric suffix.
#include <cctype>
#include <set>
#include <string>
#include <string_view>

namespace drover::test {

inline std::string camel_case(std::string_view text) {
  std::string out;
  bool upper = true;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      out += upper ? static_cast<char>(std::toupper(c)) : static_cast<char>(c);
      upper = false;
    } else {
      upper = true;
    }
  }
  return out.empty() ? "Case" : out;
}

class unique_names {
 public:
  std::string make(std::string_view text) {
    std::string base = camel_case(text);
    std::string name = base;
    for (int n = 2; !used_.insert(name).second; ++n) name = base + std::to_string(n);
    return name;
  }

 private:
  std::set<std::string> used_;
};

}  // namespace drover::test
