#pragma once
// The result document's "timeseries" (schemas/harness/summary.schema.json): an interval sink
// that keeps, per interval, only the numbers of the document's shape (counts, and per trend
// count, p50, p95, p99, max), never a histogram, so a long run's memory grows by a few hundred
// bytes per interval (README "Results over time" gives the measured cost).
//
// Threading: on_interval and to_json on the controller's (main) thread, after the run for to_json.
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "harness/metrics/interval_series.hpp"

namespace drover::reporting {

class timeseries_table : public metrics::interval_sink {
 public:
  explicit timeseries_table(std::chrono::milliseconds interval) : interval_ms_(interval.count()) {}

  void on_interval(const metrics::interval_point& point) override;
  void on_end() override {}

  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }
  // {"interval_ms", "started_unix_s", "points": [...]}; trend values in the trend's unit.
  boost::json::object to_json() const;

  struct trend_row {
    std::uint32_t name;  // index into names_
    std::uint64_t count;
    std::int64_t p50, p95, p99, max;  // thousandths of the trend's unit, as recorded
  };
  struct row {
    std::int64_t t_ms, end_ms;
    int active_clients;
    std::uint64_t sessions_opened, sessions_closed, msgs_sent, msgs_received, bytes_sent, bytes_received,
        iterations, dropped_iterations, checks_passed, checks_failed;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> errors;  // kind (index into names_) -> count
    std::vector<std::pair<int, std::uint64_t>> close_codes;
    std::vector<trend_row> trends;
  };

 private:
  std::uint32_t name_index(const std::string& name);

  std::int64_t interval_ms_;
  double started_unix_s_ = 0;
  std::vector<std::string> names_;  // trend names and error kinds, each stored once
  std::vector<row> rows_;
};

}  // namespace drover::reporting
