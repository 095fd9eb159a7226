#include "harness/reporting/json_lines_sink.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/metrics/thresholds.hpp"

namespace drover::reporting {
namespace {

// "2026-11-28T15:30:01.000Z"
std::string iso_utc_ms(double unix_s) {
  const auto ms = static_cast<long long>(std::llround(unix_s * 1000.0));
  auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

json_lines_sink::json_lines_sink(const std::string& path, bool default_scenario_tag)
    : path_(path), default_scenario_tag_(default_scenario_tag) {
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr)
    throw file_error("--out-json " + path + ": cannot open for writing: " + std::strerror(errno));
}

json_lines_sink::~json_lines_sink() {
  if (file_ != nullptr) std::fclose(file_);
}

void json_lines_sink::write_point(std::string_view metric, std::string_view type, std::string_view contains,
                                  double value, const std::map<std::string, std::string>& tags) {
  if (!declared_.contains(metric)) {
    declared_.emplace(metric);
    boost::json::object data{{"type", type}, {"contains", contains}, {"tainted", nullptr},
                             {"thresholds", boost::json::array{}}, {"submetrics", nullptr}};
    buffer_ += boost::json::serialize(boost::json::object{{"type", "Metric"}, {"data", std::move(data)}, {"metric", metric}});
    buffer_ += '\n';
  }
  boost::json::object t;
  if (default_scenario_tag_) t["scenario"] = "default";
  for (const auto& [k, v] : tags) t[k] = v;
  // Whole numbers as integers ("value":100, not 1E2), as k6 writes them.
  boost::json::value v = value;
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9.0e15) v = static_cast<std::int64_t>(value);
  boost::json::object data{{"time", time_}, {"value", std::move(v)}, {"tags", std::move(t)}, {"interval_ms", interval_ms_}};
  buffer_ += boost::json::serialize(boost::json::object{{"type", "Point"}, {"data", std::move(data)}, {"metric", metric}});
  buffer_ += '\n';
}

void json_lines_sink::on_interval(const metrics::interval_point& p) {
  if (file_ == nullptr) return;
  interval_ms_ = p.end_ms - p.start_ms;
  time_ = iso_utc_ms(p.unix_start_s + static_cast<double>(interval_ms_) / 1000.0);
  buffer_.clear();
  const std::map<std::string, std::string> none;
  auto counter = [&](std::string_view name, std::string_view contains, std::uint64_t n) {
    write_point(name, "counter", contains, static_cast<double>(n), none);
  };
  write_point("vus", "gauge", "default", p.active_clients, none);
  counter("ws_sessions", "default", p.sessions_opened);
  counter("ws_sessions_closed", "default", p.sessions_closed);
  counter("ws_msgs_sent", "default", p.msgs_sent);
  counter("ws_msgs_received", "default", p.msgs_received);
  counter("data_sent", "data", p.bytes_sent);
  counter("data_received", "data", p.bytes_received);
  counter("iterations", "default", p.iterations);
  counter("dropped_iterations", "default", p.dropped_iterations);
  counter("checks_passed", "default", p.checks_passed);
  counter("checks_failed", "default", p.checks_failed);
  for (const auto& [kind, n] : p.errors_by_kind)
    write_point("errors", "counter", "default", static_cast<double>(n), {{"kind", kind}});
  for (const auto& [code, n] : p.close_codes)
    write_point("ws_close_codes", "counter", "default", static_cast<double>(n), {{"code", std::to_string(code)}});
  for (const auto& [name, t] : p.trends) {
    if (t.values.count() == 0) continue;
    metrics::tagged_name tn;
    try {
      tn = metrics::split_tagged_name(name);
    } catch (const usage_error&) {
      tn = {name, {}};  // not a tag list drover wrote: keep the name whole
    }
    const std::string_view contains = t.unit == metrics::value_unit::milliseconds ? "time"
                                      : t.unit == metrics::value_unit::bytes      ? "data"
                                                                                  : "default";
    auto stat = [&](const char* which, double value) {
      auto tags = tn.tags;
      tags["stat"] = which;
      write_point(tn.metric, "trend", contains, value, tags);
    };
    const auto& h = t.values;
    auto unit = [](std::int64_t thousandths) { return static_cast<double>(thousandths) / 1000.0; };
    stat("count", static_cast<double>(h.count()));
    stat("p50", unit(h.value_at_percentile(50)));
    stat("p95", unit(h.value_at_percentile(95)));
    stat("p99", unit(h.value_at_percentile(99)));
    stat("max", unit(h.max()));
  }
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size() || std::fflush(file_) != 0) {
    const std::string why = std::strerror(errno);
    std::fclose(file_);
    file_ = nullptr;
    throw file_error("--out-json " + path_ + ": write failed: " + why + " (the stream stops here; the run goes on)");
  }
}

void json_lines_sink::on_end() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace drover::reporting
