#include "harness/protocols/json_pointer.hpp"

#include <charconv>

namespace drover::protocols {

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string append_pointer(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  out += escape_pointer_token(token);
  return out;
}

std::string context_to_pointer(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string_view token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    out = append_pointer(out, token);
  }
  return out;
}

std::string dotted_path_to_pointer(std::string_view dotted) {
  std::string out;
  while (true) {
    auto dot = dotted.find('.');
    out = append_pointer(out, dotted.substr(0, dot));
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
  }
  return out;
}

const boost::json::value* find_dotted(const boost::json::value& root, std::string_view dotted) {
  const boost::json::value* at = &root;
  while (at) {
    auto dot = dotted.find('.');
    std::string_view segment = dotted.substr(0, dot);
    if (const auto* obj = at->if_object()) {
      auto it = obj->find(segment);
      at = it == obj->end() ? nullptr : &it->value();
    } else if (const auto* arr = at->if_array()) {
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
      bool ok = ec == std::errc{} && end == segment.data() + segment.size() && index < arr->size();
      at = ok ? &(*arr)[index] : nullptr;
    } else {
      at = nullptr;
    }
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
  }
  return at;
}

}  // namespace drover::protocols
