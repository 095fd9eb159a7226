#pragma once
// Per-worker metrics recorder. One per worker thread, touched only by that thread during a
// run; the controller merges recorders after the workers have stopped (or on a snapshot
// posted to the worker). Names follow k6: ws_connecting, ws_msgs_sent, checks, ...
//
// Units: trend values are doubles in the metric's display unit (milliseconds for time
// trends) and are stored with three decimals (value * 1000 in the histogram).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/metrics/histogram.hpp"

namespace drover::metrics {

// Built-in metric names; scripts may add their own.
namespace names {
inline constexpr std::string_view ws_connecting = "ws_connecting";          // trend ms: connect start -> WebSocket open (TCP+TLS+upgrade)
inline constexpr std::string_view ws_handshaking = "ws_handshaking";        // trend ms: upgrade request -> 101
inline constexpr std::string_view ws_msgs_sent = "ws_msgs_sent";            // counter
inline constexpr std::string_view ws_msgs_received = "ws_msgs_received";    // counter
inline constexpr std::string_view data_sent = "data_sent";                  // counter, bytes of payload
inline constexpr std::string_view data_received = "data_received";          // counter, bytes of payload
inline constexpr std::string_view ws_sessions = "ws_sessions";              // counter: WebSocket sessions opened
inline constexpr std::string_view ws_session_duration = "ws_session_duration";  // trend ms: open -> closed
inline constexpr std::string_view ws_ping = "ws_ping";                      // trend ms: client ping -> pong
inline constexpr std::string_view ws_errors = "ws_errors";                  // counter: transport errors (kinds in errors())
inline constexpr std::string_view iterations = "iterations";                // counter
inline constexpr std::string_view iteration_duration = "iteration_duration";// trend ms
inline constexpr std::string_view checks = "checks";                        // rate
inline constexpr std::string_view vus = "vus";                              // gauge: clients running
inline constexpr std::string_view vus_max = "vus_max";                      // gauge
}  // namespace names

enum class metric_type { counter, trend, rate, gauge };
enum class value_unit { none, milliseconds, bytes };

struct trend_metric {
  value_unit unit = value_unit::milliseconds;
  histogram values;
  // Only when the recorder tracks intervals (recorder::track_intervals): the values recorded
  // since the last interval boundary, handed out and replaced by take_interval_values().
  std::unique_ptr<histogram> interval_values;
  void add(double v) {
    const auto x = static_cast<std::int64_t>(v * 1000.0 + 0.5);
    values.record(x);
    if (interval_values) interval_values->record(x);
  }
};
struct counter_metric {
  value_unit unit = value_unit::none;
  double total = 0;
};
struct rate_metric {
  std::uint64_t trues = 0;
  std::uint64_t total = 0;
};
struct gauge_metric {
  double value = 0;
  double max = 0;
  bool set = false;
};

struct check_stats {
  std::uint64_t passes = 0;
  std::uint64_t fails = 0;
  std::string first_failure;  // detail of the first failure, if any
};

struct error_stats {
  std::uint64_t count = 0;
  std::vector<std::string> samples;  // first distinct messages (at most recorder::max_error_samples)
};

class recorder {
 public:
  static constexpr std::size_t max_error_samples = 10;

  // References stay valid for the recorder's lifetime: hot paths look a metric up once.
  // Asking for an existing name with another type throws std::logic_error.
  trend_metric& trend(std::string_view name, value_unit unit = value_unit::milliseconds);
  counter_metric& counter(std::string_view name, value_unit unit = value_unit::none);
  rate_metric& rate(std::string_view name);
  gauge_metric& gauge(std::string_view name);

  void add_trend(std::string_view name, double value) { trend(name).add(value); }
  void add_counter(std::string_view name, double delta = 1) { counter(name).total += delta; }
  void add_rate(std::string_view name, bool ok);
  void set_gauge(std::string_view name, double value);

  // Records a check and feeds the built-in "checks" rate.
  void add_check(std::string_view name, bool ok, std::string_view detail = {});
  // Counts an error of a kind ("connection_refused", "lua_error", ...) and keeps the first
  // distinct messages; also adds to the ws_errors counter when count_as_ws_error.
  void add_error(std::string_view kind, std::string_view message, bool count_as_ws_error = true);
  // A close code received from a server (1005: closed without code, 1006: dropped).
  void add_close_code(int code);

  // Results over time: from now on every trend (existing and new) also records into its
  // interval_values histogram. Recording a value then costs two O(1) histogram updates instead
  // of one; counts need nothing extra (interval counts are deltas of the running totals).
  void track_intervals();
  bool tracks_intervals() const { return track_intervals_; }

  // Adds everything of other into this (histograms merge exactly, samples are deduplicated).
  void merge(const recorder& other);
  // Adds only other's metrics, each under "<name>{<tags>}" (tags: "k:v,..." as given; names
  // already tagged are skipped): the sub-metrics of one scenario of a mixed fleet.
  void merge_metrics_tagged(const recorder& other, std::string_view tags);

  struct metric_entry {
    metric_type type;
    std::unique_ptr<trend_metric> trend;
    std::unique_ptr<counter_metric> counter;
    std::unique_ptr<rate_metric> rate;
    std::unique_ptr<gauge_metric> gauge;
  };
  const std::map<std::string, metric_entry, std::less<>>& metrics() const { return metrics_; }
  const metric_entry* find(std::string_view name) const;
  const std::map<std::string, check_stats, std::less<>>& checks() const { return checks_; }
  // Checks in the order they were first seen (for the report).
  const std::vector<std::string>& check_order() const { return check_order_; }
  const std::map<std::string, error_stats, std::less<>>& errors() const { return errors_; }
  const std::map<int, std::uint64_t>& close_codes() const { return close_codes_; }

 private:
  metric_entry& entry(std::string_view name, metric_type type);
  void merge_metric(const std::string& name, const metric_entry& src);
  void merge_rest(const recorder& other);  // checks, errors, close codes

  std::map<std::string, metric_entry, std::less<>> metrics_;
  std::map<std::string, check_stats, std::less<>> checks_;
  std::vector<std::string> check_order_;
  std::map<std::string, error_stats, std::less<>> errors_;
  std::map<int, std::uint64_t> close_codes_;
  bool track_intervals_ = false;
};

}  // namespace drover::metrics
