#include <algorithm>
#include <charconv>
#include <cmath>

#include "harness/reporting/escape.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

// Shortest round-trip form ("0.5", "231.4", "1e+21"), unlike Boost.JSON's "5E-1".
void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

bool is_scalar(const boost::json::value& v) { return !v.is_object() && !v.is_array(); }

void append_value(std::string& out, const boost::json::value& v, int depth) {
  const auto newline = [&](int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  switch (v.kind()) {
    case boost::json::kind::double_:
      append_double(out, v.get_double());
      return;
    case boost::json::kind::object: {
      const auto& obj = v.get_object();
      if (obj.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& member : obj) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        out += boost::json::serialize(boost::json::string_view(valid_utf8(member.key())));
        out += ": ";
        append_value(out, member.value(), depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    case boost::json::kind::array: {
      const auto& arr = v.get_array();
      // Short arrays of scalars (histogram bars, samples) stay on one line.
      const bool inline_form = arr.size() <= 8 && std::all_of(arr.begin(), arr.end(), is_scalar);
      if (arr.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& item : arr) {
        if (!first) out += inline_form ? ", " : ",";
        first = false;
        if (!inline_form) newline(depth + 1);
        append_value(out, item, depth + 1);
      }
      if (!inline_form) newline(depth);
      out += ']';
      return;
    }
    case boost::json::kind::string:
      // Strings built in C++ may hold invalid UTF-8 (server data); summary.json must not.
      out += boost::json::serialize(boost::json::string_view(valid_utf8(v.get_string())));
      return;
    default:
      out += boost::json::serialize(v);
      return;
  }
}

}  // namespace

std::string render_json(const boost::json::value& doc) {
  std::string out;
  append_value(out, doc, 0);
  out += '\n';
  return out;
}

}  // namespace drover::reporting
