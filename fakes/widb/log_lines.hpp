#pragma once
// Parses one line of a logDump's rawLogData in the three formats of docs/protocols/widb.md
// §Log formats into a logData entry (a JSON object). Pure functions, any thread.
//   threadtime: "05-24 12:12:49.247 23930 23930 E AndroidRuntime: FATAL EXCEPTION: main"
//   studio:     "05-22 11:44:31.180 7080-7080/com.google.wireless.debugging I/WiDB Example: aX: 3.02"
//   ios:        "2024-05-22 11:44:31.180+0200 Hangouts[812:5123] text"
// Entry fields: format, date, time, logLevel (Android), tag (Android) or process (iOS), pid,
// tid, package (studio), zone (iOS), text (the message after the tag or the "[pid:tid] ").
// Written by hand (no regex) because a fleet pushes tens of thousands of lines per second.
#include <optional>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace drover::fakes::widb {

enum class line_format { threadtime, studio, ios };

struct parsed_line {
  line_format format;
  boost::json::object entry;
};

// nullopt when the line matches none of the formats (the caller passes it on as a string).
std::optional<parsed_line> parse_log_line(std::string_view line);

// rawLogData split on '\n' (a trailing '\r' is removed from each line); empty lines are
// skipped, so "a\n\nb\n" gives two lines.
std::vector<std::string_view> split_lines(std::string_view raw);

}  // namespace drover::fakes::widb
