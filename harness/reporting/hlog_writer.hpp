#pragma once
// `drover run --hlog FILE`: every trend's interval histograms in HdrHistogram's interval log
// format (what HistogramLogWriter writes, log format version 1.3), so HistogramLogReader,
// HistogramLogProcessor, HdrHistogramVisualizer and hdr-histogram-js read it:
//   #[Histogram log format version 1.3]
//   #[StartTime: 1764340000.123 (seconds since epoch), 2026-11-28T15:20:00.123Z]
//   #[BaseTime: 1764340000.123 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   Tag=ws_connecting,0.000,1.000,4.100,HISTFAAAA...
// One line per interval per trend with values in it (tags in name order): start (seconds after
// BaseTime, the run's start), length (seconds), the interval's exact max in the trend's unit,
// and the V2 compressed histogram (hdr_encoding.hpp) whose values are thousandths of the
// trend's unit (microseconds for ms trends; HistogramLogProcessor: -outputValueUnitRatio 1000
// prints ms). Interval_Max is thus the histogram's max divided by 1000 (the "max value unit
// ratio" of HistogramLogWriter, which defaults to 1e6 for nanoseconds).
// The format splits fields at ',' and ' ', so a tag has each ',' replaced by ';' and each
// whitespace or control character by '_' (hlog_tag): "e2e{protocol:widb,scenario:a}" is the
// tag "e2e{protocol:widb;scenario:a}".
// The file is flushed after each interval (`tail -f` and a crash keep what was measured).
//
// Threading: the controller's thread only (interval_sink's contract).
#include <cstdio>
#include <string>
#include <string_view>

#include "harness/metrics/interval_series.hpp"

namespace drover::reporting {

// A trend name as an HdrHistogram log tag (see above).
std::string hlog_tag(std::string_view trend_name);

class hlog_writer : public metrics::interval_sink {
 public:
  // Opens (truncates) path; throws file_error naming --hlog and the path when it cannot.
  explicit hlog_writer(const std::string& path);
  ~hlog_writer() override;
  hlog_writer(const hlog_writer&) = delete;
  hlog_writer& operator=(const hlog_writer&) = delete;

  // Throws file_error when the file cannot be written (the controller then drops this sink).
  void on_interval(const metrics::interval_point& point) override;
  // Writes the header if no interval came (a valid, empty log) and closes the file.
  void on_end() override;

 private:
  void write_header(double base_unix_s);
  void write_out(const std::string& text);

  std::string path_;
  std::FILE* file_ = nullptr;
  bool header_written_ = false;
};

}  // namespace drover::reporting
