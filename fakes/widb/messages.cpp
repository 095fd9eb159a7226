#include "fakes/widb/messages.hpp"

#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/widb/log_lines.hpp"

namespace drover::fakes::widb {

namespace json = boost::json;

std::string log_data_text(std::string_view raw_log_data, std::string_view os_type, const fault_flags& flags) {
  json::array entries;
  auto lines = split_lines(raw_log_data);
  entries.reserve(lines.size());
  for (auto line : lines) {
    if (auto parsed = parse_log_line(line)) {
      entries.emplace_back(std::move(parsed->entry));
    } else if (!flags.unparsable_dropped) {
      entries.emplace_back(json::string(line));
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
