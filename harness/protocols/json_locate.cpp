#include "harness/protocols/json_locate.hpp"

#include <string>
#include <vector>

namespace drover::protocols {
namespace {

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  pointer.remove_prefix(1);
  while (true) {
    auto slash = pointer.find('/');
    std::string token;
    for (std::size_t i = 0; i < pointer.substr(0, slash).size(); ++i) {
      if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[++i] == '0' ? '~' : '/';
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash + 1);
  }
  return tokens;
}

class scanner {
 public:
  explicit scanner(std::string_view text) : text_(text) {}

  std::size_t locate(const std::vector<std::string>& tokens) {
    std::size_t found_line = 1;
    for (std::size_t depth = 0;; ++depth) {
      skip_space();
      found_line = line_;
      if (depth == tokens.size() || pos_ >= text_.size()) return found_line;
      if (!enter(tokens[depth])) return found_line;
    }
  }

 private:
  // Moves to the start of the member or item named `token`; false if there is none.
  bool enter(const std::string& token) {
    char open = text_[pos_];
    if (open != '{' && open != '[') return false;
    ++pos_;
    for (std::size_t index = 0;; ++index) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] == '}' || text_[pos_] == ']') return false;
      bool hit = false;
      if (open == '{') {
        hit = read_string() == token;
        skip_space();
        ++pos_;  // ':'
      } else {
        hit = std::to_string(index) == token;
      }
      skip_space();
      if (hit) return true;
      skip_value();
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
    }
  }

  std::string read_string() {
    std::string out;
    ++pos_;  // opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        char c = text_[++pos_];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' : c == 'f' ? '\f' : c;
      } else {
        out += text_[pos_];
      }
      ++pos_;
    }
    ++pos_;  // closing quote
    return out;
  }

  void skip_value() {
    int depth = 0;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        read_string();
        if (depth == 0) return;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (depth == 0) return;
        if (--depth == 0) {
          ++pos_;
          return;
        }
      }
      if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r')) return;
      if (c == '\n') ++line_;
      ++pos_;
    }
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t' || text_[pos_] == '\r')) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

std::size_t line_of_pointer(std::string_view text, std::string_view pointer) {
  return scanner(text).locate(pointer_tokens(pointer));
}

}  // namespace drover::protocols
