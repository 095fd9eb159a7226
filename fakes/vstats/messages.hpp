#pragma once
// What the vStats fake sends to dashboards: the {type,data,timestamp} envelope and the
// metrics data built from an agent's report (docs/protocols/vstats.md §Dashboards).
// Pure functions; any thread.
#include <string>

#include <boost/json/object.hpp>

#include "fakes/vstats/tokens.hpp"

namespace drover::fakes::vstats {

// UTC now as RFC 3339 with milliseconds: "2024-01-01T12:00:00.123Z".
std::string iso8601_now();

// {"type":type,"data":data,"timestamp":now}.
boost::json::object envelope(const char* type, boost::json::object data);

// data of a metrics message: {"server_id":id,"metrics":M} where M is the agent's report unchanged
// except that network gains rx = total_rx and tx = total_tx (when the report has them).
boost::json::object metrics_data(const std::string& server_id, boost::json::object report);

boost::json::object status_data(const std::string& server_id, bool online);
boost::json::object added_data(const server_info& server);
boost::json::object removed_data(const std::string& server_id);

}  // namespace drover::fakes::vstats
