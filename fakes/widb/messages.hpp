#pragma once
// What the WiDB fake sends to dashboards, built from a phone's messages (faults applied here so
// that the session stays a plain state machine). Pure functions, any thread.
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "fakes/widb/flags.hpp"
#include "fakes/widb/widb_server.hpp"

namespace drover::fakes::widb {

// {"messageType":"logData","osType":OS,"logEntries":[...]}. objects style: one entry per
// non-empty line, an object for a line that parses (log_lines.hpp), the line itself as a
// string otherwise. html style: see widb_config::entry_style.
std::string log_data_text(std::string_view raw_log_data, std::string_view os_type, const fault_flags& flags,
                          widb_config::entry_style style = widb_config::entry_style::objects);

// True when some line of raw_log_data is in the Android Studio format (fault drop-on-studio-format).
bool has_studio_line(std::string_view raw_log_data);

// The phone's deviceMetrics as forwarded: unchanged (fault metrics-mangled changes its units).
std::string device_metrics_text(boost::json::object metrics, const fault_flags& flags);

}  // namespace drover::fakes::widb
