#include "harness/export/prometheus_remote_write.hpp"

#include "harness/common/error.hpp"
#include "harness/export/prometheus_naming.hpp"
#include "harness/export/remote_write_encoding.hpp"

namespace drover::exporting {

namespace {

remote_write_options sender_options(const prometheus_rw_settings& settings) {
  remote_write_options options;
  options.url = settings.url;
  options.timeout = settings.timeout;
  options.tls = settings.tls;
  return options;
}

const prometheus_labels& checked(const prometheus_labels& labels) {
  for (const auto& [name, value] : labels) parse_prometheus_label_flag(name + "=" + value);
  return labels;
}

}  // namespace

prometheus_rw_settings prometheus_rw_settings_for(const std::string& url, const std::vector<std::string>& label_flags,
                                                  const std::string& ca_file, bool quiet) {
  prometheus_rw_settings settings;
  settings.url = url;
  for (const auto& flag : label_flags) settings.labels.push_back(parse_prometheus_label_flag(flag));
  settings.tls.ca_file = ca_file;
  settings.quiet = quiet;
  return settings;
}

prometheus_remote_write::prometheus_remote_write(prometheus_rw_settings settings, std::FILE* messages)
    : settings_(std::move(settings)),
      messages_(messages),
      builder_(checked(settings_.labels)),
      sender_(sender_options(settings_)) {}

prometheus_remote_write::~prometheus_remote_write() {
  if (!ended_) sender_.finish(std::chrono::milliseconds(0));
}

void prometheus_remote_write::on_interval(const metrics::interval_point& point) {
  if (ended_) return;
  sender_.enqueue(encode_remote_write(builder_.add(point)));
  report_first_failure(sender_.stats());
}

void prometheus_remote_write::report_first_failure(const remote_write_stats& now) {
  if (failure_reported_ || now.failed == 0) return;
  failure_reported_ = true;
  std::fprintf(messages_, "drover: prometheus remote write to %s failed: %s (the run goes on; failures are counted)\n",
               sender_.url().c_str(), now.first_error.c_str());
}

void prometheus_remote_write::on_end() {
  if (ended_) return;
  ended_ = true;
  final_ = sender_.finish(settings_.end_wait);
  report_first_failure(final_);
  if (final_.failed > 0 || final_.dropped > 0) {
    std::fprintf(messages_,
                 "drover: prometheus remote write to %s: %llu of %llu write(s) sent, %llu failed, %llu dropped%s%s\n",
                 sender_.url().c_str(), static_cast<unsigned long long>(final_.sent),
                 static_cast<unsigned long long>(final_.queued), static_cast<unsigned long long>(final_.failed),
                 static_cast<unsigned long long>(final_.dropped), final_.first_error.empty() ? "" : "; first error: ",
                 final_.first_error.c_str());
  } else if (!settings_.quiet) {
    std::fprintf(messages_, "drover: prometheus remote write: %llu write(s) sent to %s\n",
                 static_cast<unsigned long long>(final_.sent), sender_.url().c_str());
  }
  std::fflush(messages_);
}

remote_write_stats prometheus_remote_write::stats() const { return sender_.stats(); }

void prometheus_remote_write::add_failures_to(metrics::recorder& run_errors) const {
  remote_write_stats now = sender_.stats();
  const std::string first = now.first_error.empty() ? "a write was dropped from a full queue" : now.first_error;
  const std::string message = "prometheus remote write to " + sender_.url() + ": " + first;
  for (std::uint64_t i = 0; i < now.failed + now.dropped; ++i) run_errors.add_error("prometheus_rw", message, false);
}

}  // namespace drover::exporting
