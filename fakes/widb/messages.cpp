#include "fakes/widb/messages.hpp"

#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/widb/log_lines.hpp"

namespace drover::fakes::widb {

namespace json = boost::json;

namespace {

std::string_view field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
}

// The real server's rendering: consecutive parsed lines with the same date, time and level
// become one row; a line in no format is a row of its own.
void html_rows(const std::vector<std::string_view>& lines, json::array& entries, const fault_flags& flags) {
  std::string row, key;
  auto flush = [&] {
    if (row.empty()) return;
    row += "</td></tr>";
    entries.emplace_back(json::string(row));
    row.clear();
    key.clear();
  };
  for (auto line : lines) {
    auto parsed = parse_log_line(line);
    if (!parsed) {
      flush();
      if (flags.unparsable_dropped) continue;
      row = "<tr><td colspan=\"3\"></td><td>";
      append_escaped(row, line);
      flush();
      continue;
    }
    const json::object& e = parsed->entry;
    std::string this_key = std::string(field(e, "date")) + " " + std::string(field(e, "time")) + " " +
                           std::string(field(e, "logLevel"));
    if (!row.empty() && this_key == key) {
      row += "<br>";
    } else {
      flush();
      key = this_key;
      row = "<tr><td>";
      append_escaped(row, key);
      row += "</td><td>";
      append_escaped(row, e.contains("tag") ? field(e, "tag") : field(e, "process"));
      row += "</td><td>";
    }
    append_escaped(row, field(e, "text"));
  }
  flush();
}

}  // namespace

std::string log_data_text(std::string_view raw_log_data, std::string_view os_type, const fault_flags& flags,
                          widb_config::entry_style style) {
  json::array entries;
  auto lines = split_lines(raw_log_data);
  entries.reserve(lines.size());
  if (style == widb_config::entry_style::html) {
    html_rows(lines, entries, flags);
  } else {
    for (auto line : lines) {
      if (auto parsed = parse_log_line(line)) {
        entries.emplace_back(std::move(parsed->entry));
      } else if (!flags.unparsable_dropped) {
        entries.emplace_back(json::string(line));
      }
    }
  }
  if (entries.size() >= 2) {
    if (flags.entries_reordered) std::swap(entries[0], entries[1]);
    if (flags.entries_lost) entries.erase(entries.begin() + 1);
  }
  json::object out;
  out["messageType"] = "logData";
  out["osType"] = os_type;
  out["logEntries"] = std::move(entries);
  return json::serialize(out);
}

bool has_studio_line(std::string_view raw_log_data) {
  for (auto line : split_lines(raw_log_data)) {
    auto parsed = parse_log_line(line);
    if (parsed && parsed->format == line_format::studio) return true;
  }
  return false;
}

std::string device_metrics_text(json::object metrics, const fault_flags& flags) {
  if (flags.metrics_mangled) {
    auto scale = [&](const char* key, double factor) {
      if (auto* v = metrics.if_contains(key); v && v->is_number()) {
        double d = v->to_number<double>() * factor;
        if (v->is_double()) *v = d;
        else *v = static_cast<std::int64_t>(d);
      }
    };
    scale("cpuUsage", 100.0);
    scale("memUsage", 1024.0);
    scale("memTotal", 1024.0);
  }
  return json::serialize(metrics);
}

}  // namespace drover::fakes::widb
