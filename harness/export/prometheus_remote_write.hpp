#pragma once
// `drover run --prometheus-rw URL`: an interval sink that sends every interval's metrics to a
// Prometheus remote write 1.0 receiver while the run goes (names and labels:
// prometheus_series.hpp; README "Outputs: Prometheus").
//
// Contract:
//  - on_interval and on_end are called on the run controller's thread (metrics::interval_sink).
//    on_interval only builds and compresses the request (microseconds to a millisecond for a
//    few hundred series) and queues it: the network is the sender's own thread
//    (remote_write_sender), so a slow or dead receiver never stalls the run.
//  - A failed write never fails the run: the first failure is reported on `messages` (stderr)
//    when the controller next calls on_interval, and on_end reports how many writes failed or
//    were dropped. on_end waits at most `end_wait` for the last writes.
//  - Ownership: the sink owns its sender (and so its thread), stopped at on_end or destruction.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "harness/export/prometheus_series.hpp"
#include "harness/export/remote_write_sender.hpp"
#include "harness/metrics/interval_series.hpp"
#include "harness/metrics/recorder.hpp"

namespace drover::exporting {

struct prometheus_rw_settings {
  std::string url;                              // --prometheus-rw
  prometheus_labels labels;                     // --prometheus-label KEY=VALUE, in flag order
  transport::tls_options tls;                   // https:// receivers: system CAs plus --ca
  std::chrono::milliseconds timeout{5'000};     // per request
  std::chrono::milliseconds end_wait{5'000};    // on_end: longest wait for the last writes
  bool quiet = false;                           // --quiet: only failures are reported
};

// The settings of `--prometheus-rw URL [--prometheus-label KEY=VALUE]...`: https:// receivers
// are verified against the system CAs plus the run's --ca file. Throws usage_error naming the
// flag for a label that is not KEY=VALUE with a valid Prometheus label name.
prometheus_rw_settings prometheus_rw_settings_for(const std::string& url, const std::vector<std::string>& label_flags,
                                                  const std::string& ca_file, bool quiet);

class prometheus_remote_write final : public metrics::interval_sink {
 public:
  // Throws usage_error for a URL that is not http(s):// or a label that is not valid, so that a
  // mistake is reported before the run starts. messages must outlive the sink.
  explicit prometheus_remote_write(prometheus_rw_settings settings, std::FILE* messages = stderr);
  ~prometheus_remote_write() override;

  void on_interval(const metrics::interval_point& point) override;
  void on_end() override;

  // Counts so far (final after on_end). Any thread.
  remote_write_stats stats() const;

  // After on_end: every failed or dropped write becomes one error of kind "prometheus_rw" in the
  // run's errors (summary.json, console, report), with the first failure as its sample. Such
  // errors are not ws_errors and do not change the run's outcome.
  void add_failures_to(metrics::recorder& run_errors) const;

 private:
  prometheus_rw_settings settings_;
  std::FILE* messages_;
  prometheus_series_builder builder_;
  remote_write_sender sender_;
  bool failure_reported_ = false;
  bool ended_ = false;
  remote_write_stats final_;

  void report_first_failure(const remote_write_stats& now);
};

}  // namespace drover::exporting
