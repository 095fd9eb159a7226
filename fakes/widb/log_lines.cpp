#include "fakes/widb/log_lines.hpp"

#include <cctype>
#include <cstdint>

namespace drover::fakes::widb {

namespace json = boost::json;

namespace {

// A cursor over one line; each take_* consumes on success and leaves the cursor alone otherwise.
struct cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // Exactly n digits.
  bool take_digits(std::size_t n) {
    if (i + n > s.size()) return false;
    for (std::size_t k = 0; k < n; ++k)
      if (!digit(s[i + k])) return false;
    i += n;
    return true;
  }
  // One or more digits; returns them.
  std::optional<std::string_view> take_number() {
    std::size_t start = i;
    while (!done() && digit(s[i])) ++i;
    if (i == start) return std::nullopt;
    return s.substr(start, i - start);
  }
  bool take(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  // One or more spaces.
  bool take_spaces() {
    std::size_t start = i;
    while (!done() && s[i] == ' ') ++i;
    return i > start;
  }
  std::string_view rest() const { return done() ? std::string_view{} : s.substr(i); }
};

std::int64_t to_int(std::string_view digits) {
  std::int64_t v = 0;
  for (char c : digits) {
    if (v > 100'000'000'000LL) return v;  // absurdly long: keep what we have
    v = v * 10 + (c - '0');
  }
  return v;
}

bool is_level(char c) {
  return c == 'V' || c == 'D' || c == 'I' || c == 'W' || c == 'E' || c == 'F' || c == 'A' || c == 'S';
}

// "MM-DD HH:MM:SS.mmm" then spaces; fills date and time.
bool android_stamp(cursor& c, json::object& e) {
  std::size_t start = c.i;
  if (!(c.take_digits(2) && c.take('-') && c.take_digits(2))) return false;
  e["date"] = c.s.substr(start, 5);
  if (!c.take(' ')) return false;
  std::size_t t = c.i;
  if (!(c.take_digits(2) && c.take(':') && c.take_digits(2) && c.take(':') && c.take_digits(2) && c.take('.') &&
        c.take_digits(3)))
    return false;
  e["time"] = c.s.substr(t, c.i - t);
  return c.take_spaces();
}

// "TAG: text" (the tag may hold spaces; "TAG:" at the end of the line means empty text).
bool tag_and_text(cursor& c, json::object& e) {
  std::string_view rest = c.rest();
  std::size_t colon = rest.find(": ");
  std::string_view tag, text;
  if (colon != std::string_view::npos) {
    tag = rest.substr(0, colon);
    text = rest.substr(colon + 2);
  } else if (!rest.empty() && rest.back() == ':') {
    tag = rest.substr(0, rest.size() - 1);
  } else {
    return false;
  }
  while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);  // logcat pads short tags
  if (tag.empty()) return false;
  e["tag"] = tag;
  e["text"] = text;
  return true;
}

std::optional<parsed_line> threadtime(std::string_view line) {
  cursor c{line};
  json::object e;
  e["format"] = "threadtime";
  if (!android_stamp(c, e)) return std::nullopt;
  auto pid = c.take_number();
  if (!pid || !c.take_spaces()) return std::nullopt;
  auto tid = c.take_number();
  if (!tid || !c.take_spaces()) return std::nullopt;
  char level = c.peek();
  if (!is_level(level) || !c.take(level) || !c.take(' ')) return std::nullopt;
  e["pid"] = to_int(*pid);
  e["tid"] = to_int(*tid);
  e["logLevel"] = std::string(1, level);
  if (!tag_and_text(c, e)) return std::nullopt;
  return parsed_line{line_format::threadtime, std::move(e)};
}

std::optional<parsed_line> studio(std::string_view line) {
  cursor c{line};
  json::object e;
  e["format"] = "studio";
  if (!android_stamp(c, e)) return std::nullopt;
  auto pid = c.take_number();
  if (!pid || !c.take('-')) return std::nullopt;
  auto tid = c.take_number();
  if (!tid || !c.take('/')) return std::nullopt;
  std::string_view rest = c.rest();
  std::size_t space = rest.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  e["package"] = rest.substr(0, space);
  c.i += space;
  c.take_spaces();
  char level = c.peek();
  if (!is_level(level) || !c.take(level) || !c.take('/')) return std::nullopt;
  e["pid"] = to_int(*pid);
  e["tid"] = to_int(*tid);
  e["logLevel"] = std::string(1, level);
  if (!tag_and_text(c, e)) return std::nullopt;
  return parsed_line{line_format::studio, std::move(e)};
}

std::optional<parsed_line> ios(std::string_view line) {
  cursor c{line};
  json::object e;
  e["format"] = "ios";
  std::size_t start = c.i;
  if (!(c.take_digits(4) && c.take('-') && c.take_digits(2) && c.take('-') && c.take_digits(2))) return std::nullopt;
  e["date"] = line.substr(start, c.i - start);
  if (!c.take(' ')) return std::nullopt;
  std::size_t t = c.i;
  if (!(c.take_digits(2) && c.take(':') && c.take_digits(2) && c.take(':') && c.take_digits(2))) return std::nullopt;
  if (c.take('.') && !c.take_number()) return std::nullopt;
  e["time"] = line.substr(t, c.i - t);
  char sign = c.peek();
  if (sign != '+' && sign != '-') return std::nullopt;
  std::size_t z = c.i++;
  if (!c.take_digits(2)) return std::nullopt;
  c.take(':');
  if (!c.take_digits(2)) return std::nullopt;
  e["zone"] = line.substr(z, c.i - z);
  if (!c.take_spaces()) return std::nullopt;
  std::string_view rest = c.rest();
  std::size_t open = rest.find('[');
  if (open == std::string_view::npos || open == 0) return std::nullopt;
  e["process"] = rest.substr(0, open);
  c.i += open + 1;
  auto pid = c.take_number();
  if (!pid || !c.take(':')) return std::nullopt;
  std::size_t tid_start = c.i;
  while (!c.done() && std::isxdigit(static_cast<unsigned char>(c.peek())) != 0) ++c.i;
  if (c.peek() == 'x') {  // "0x1a2b"
    ++c.i;
    while (!c.done() && std::isxdigit(static_cast<unsigned char>(c.peek())) != 0) ++c.i;
  }
  if (c.i == tid_start || !c.take(']')) return std::nullopt;
  e["pid"] = to_int(*pid);
  e["tid"] = line.substr(tid_start, c.i - 1 - tid_start);
  c.take(' ');
  e["text"] = c.rest();
  return parsed_line{line_format::ios, std::move(e)};
}

}  // namespace

std::optional<parsed_line> parse_log_line(std::string_view line) {
  if (line.size() < 5) return std::nullopt;
  // The year's four digits tell iOS apart; the Android formats differ after the pid.
  if (line.size() > 4 && cursor::digit(line[2]) && cursor::digit(line[3]) && line[4] == '-') return ios(line);
  if (auto p = threadtime(line)) return p;
  return studio(line);
}

std::vector<std::string_view> split_lines(std::string_view raw) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.push_back(line);
    start = end + 1;
  }
  return out;
}

}  // namespace drover::fakes::widb
