#include "harness/protocols/formats.hpp"

#include <arpa/inet.h>

#include <valijson/validation_results.hpp>

namespace drover::protocols {
namespace {

// Reads exactly `n` digits at `pos` into `out`.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

bool full_date(std::string_view s, std::size_t& pos) {
  int y = 0, m = 0, d = 0;
  return digits(s, pos, 4, y) && expect(s, pos, '-') && digits(s, pos, 2, m) && expect(s, pos, '-') &&
         digits(s, pos, 2, d) && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM). A leap second (:60) is accepted only
// where it can occur: 23:59:60 in UTC.
bool full_time(std::string_view s, std::size_t& pos) {
  int h = 0, m = 0, sec = 0;
  if (!(digits(s, pos, 2, h) && expect(s, pos, ':') && digits(s, pos, 2, m) && expect(s, pos, ':') &&
        digits(s, pos, 2, sec))) {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60) return false;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  if (pos >= s.size()) return false;
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos++] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!(digits(s, pos, 2, oh) && expect(s, pos, ':') && digits(s, pos, 2, om)) || oh > 23 || om > 59) {
      return false;
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (sec == 60) {
    int utc_minutes = ((h * 60 + m - offset_minutes) % 1440 + 1440) % 1440;
    if (utc_minutes != 23 * 60 + 59) return false;
  }
  return true;
}

bool is_date_time(std::string_view s) {
  std::size_t pos = 0;
  if (!full_date(s, pos) || pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return false;
  ++pos;
  return full_time(s, pos) && pos == s.size();
}

bool is_date(std::string_view s) {
  std::size_t pos = 0;
  return full_date(s, pos) && pos == s.size();
}

bool is_time(std::string_view s) {
  std::size_t pos = 0;
  return full_time(s, pos) && pos == s.size();
}

bool is_ipv4(std::string_view s) {
  // inet_pton accepts exactly four decimal octets without leading zeros' ambiguity on glibc.
  if (s.empty() || s.size() > 15) return false;
  std::string text(s);
  in_addr out{};
  return inet_pton(AF_INET, text.c_str(), &out) == 1;
}

bool is_ipv6(std::string_view s) {
  if (s.empty() || s.size() > 45 || s.find('%') != std::string_view::npos) return false;
  std::string text(s);
  in6_addr out{};
  return inet_pton(AF_INET6, text.c_str(), &out) == 1;
}

}  // namespace

bool is_checked_format(std::string_view format) {
  return format == "date-time" || format == "date" || format == "time" || format == "ipv4" || format == "ipv6";
}

bool matches_format(std::string_view format, std::string_view value) {
  if (format == "date-time") return is_date_time(value);
  if (format == "date") return is_date(value);
  if (format == "time") return is_time(value);
  if (format == "ipv4") return is_ipv4(value);
  if (format == "ipv6") return is_ipv6(value);
  return true;
}

bool format_constraint::validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                                 valijson::ValidationResults* results) const {
  if (!target.isString()) return true;
  std::string value;
  if (!target.getString(value) || matches_format(format_, value)) return true;
  if (results) results->pushError(context, "String is not a valid " + format_ + ".");
  return false;
}

valijson::constraints::Constraint* format_constraint_builder::make(const valijson::adapters::Adapter& value) const {
  std::string format;
  value.getString(format);  // a non-string "format" checks nothing, as draft-07 says
  return new format_constraint(std::move(format));
}

}  // namespace drover::protocols
