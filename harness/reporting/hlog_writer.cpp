#include "harness/reporting/hlog_writer.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "harness/common/error.hpp"
#include "harness/metrics/hdr_encoding.hpp"

namespace drover::reporting {

namespace {

std::string format(const char* fmt, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

std::string iso_utc(double unix_s) {
  const auto whole = static_cast<std::time_t>(unix_s);
  const int millis = static_cast<int>((unix_s - static_cast<double>(whole)) * 1000.0);
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[80];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, millis < 0 ? 0 : millis > 999 ? 999 : millis);
  return out;
}

}  // namespace

std::string hlog_tag(std::string_view trend_name) {
  std::string out(trend_name);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ',') c = ';';
    else if (u <= 0x20 || u == 0x7f) c = '_';
  }
  return out;
}

hlog_writer::hlog_writer(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw file_error("--hlog: cannot open " + path + " for writing: " + std::strerror(errno));
}

hlog_writer::~hlog_writer() {
  if (file_) std::fclose(file_);
}

void hlog_writer::write_out(const std::string& text) {
  if (!file_) return;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0) {
    const int err = errno;
    std::fclose(file_);
    file_ = nullptr;
    throw file_error("--hlog: cannot write " + path_ + ": " + std::strerror(err));
  }
}

void hlog_writer::write_header(double base_unix_s) {
  header_written_ = true;
  std::string text = "#[Histogram log format version 1.3]\n";
  text += "#[StartTime: " + format("%.3f", base_unix_s) + " (seconds since epoch), " + iso_utc(base_unix_s) + "]\n";
  text += "#[BaseTime: " + format("%.3f", base_unix_s) + " (seconds since epoch)]\n";
  text += "# drover: one tag per trend; histogram values in thousandths of the trend's unit (us for ms trends), "
          "Interval_Max in the trend's unit\n";
  text += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
  write_out(text);
}

void hlog_writer::on_interval(const metrics::interval_point& point) {
  if (!file_) return;
  if (!header_written_) write_header(point.unix_start_s - static_cast<double>(point.start_ms) / 1000.0);
  const std::string start = format("%.3f", static_cast<double>(point.start_ms) / 1000.0);
  const std::string length = format("%.3f", static_cast<double>(point.end_ms - point.start_ms) / 1000.0);
  std::string text;
  for (const auto& [name, trend] : point.trends) {
    if (trend.values.count() == 0) continue;
    text += "Tag=" + hlog_tag(name) + "," + start + "," + length + ",";
    text += format("%.3f", static_cast<double>(trend.values.max()) / 1000.0) + ",";
    text += metrics::encode_hdr_v2_compressed_base64(trend.values);
    text += '\n';
  }
  write_out(text);
}

void hlog_writer::on_end() {
  if (!file_) return;
  if (!header_written_) {
    write_header(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  }
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) throw file_error("--hlog: cannot write " + path_ + ": " + std::strerror(errno));
}

}  // namespace drover::reporting
