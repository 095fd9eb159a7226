#pragma once
// `drover run --out-json FILE`: the intervals as a line-delimited JSON stream, k6's
// `--out json` habit. A {"type":"Metric",...} line declares a metric the first time it appears;
// then each interval writes one {"type":"Point","metric":NAME,"data":{"time","value","tags",
// "interval_ms"}} line per figure, "time" being the interval's end (UTC, ms) and the value
// covering the interval_ms before it:
//   counters  ws_sessions, ws_sessions_closed, ws_msgs_sent, ws_msgs_received, data_sent,
//             data_received, iterations, dropped_iterations, checks_passed, checks_failed
//             (this interval's counts), errors (tag kind), ws_close_codes (tag code);
//   gauge     vus (clients running at the interval's end);
//   trends    one point per stat (tag stat: count, p50, p95, p99, max; values in the trend's
//             unit), a mixed fleet's sub-metric "name{scenario:a}" as name with its tags.
// The file is flushed after each interval, so `tail -f FILE` follows the run.
//
// Threading: the controller's thread only (interval_sink's contract).
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "harness/metrics/interval_series.hpp"

namespace drover::reporting {

class json_lines_sink : public metrics::interval_sink {
 public:
  // Opens (truncates) path; throws file_error naming --out-json and the path when it cannot.
  // default_scenario_tag: a single-scenario run tags its points {"scenario":"default"} as k6
  // does; a mixed fleet's totals have no scenario (its sub-metrics carry theirs).
  json_lines_sink(const std::string& path, bool default_scenario_tag);
  ~json_lines_sink() override;
  json_lines_sink(const json_lines_sink&) = delete;
  json_lines_sink& operator=(const json_lines_sink&) = delete;

  // Throws file_error when the file cannot be written (the controller then drops this sink).
  void on_interval(const metrics::interval_point& point) override;
  void on_end() override;

 private:
  void write_point(std::string_view metric, std::string_view type, std::string_view contains, double value,
                   const std::map<std::string, std::string>& tags);

  std::string path_;
  std::FILE* file_ = nullptr;
  bool default_scenario_tag_;
  std::set<std::string, std::less<>> declared_;
  std::string time_;        // the current interval's end, ISO 8601
  std::int64_t interval_ms_ = 0;
  std::string buffer_;      // one interval's lines, written at once
};

}  // namespace drover::reporting
