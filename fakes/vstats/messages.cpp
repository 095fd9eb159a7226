#include "fakes/vstats/messages.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace drover::fakes::vstats {

namespace json = boost::json;

std::string iso8601_now() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

json::object envelope(const char* type, json::object data) {
  return json::object{{"type", type}, {"data", std::move(data)}, {"timestamp", iso8601_now()}};
}

json::object metrics_data(const std::string& server_id, json::object report) {
  if (auto* network = report.if_contains("network"); network && network->is_object()) {
    auto& n = network->as_object();
    if (auto* rx = n.if_contains("total_rx")) n["rx"] = *rx;
    if (auto* tx = n.if_contains("total_tx")) n["tx"] = *tx;
  }
  return json::object{{"server_id", server_id}, {"metrics", std::move(report)}};
}

json::object status_data(const std::string& server_id, bool online) {
  return json::object{{"server_id", server_id}, {"online", online}};
}

json::object added_data(const server_info& server) {
  json::object data{{"id", server.id}, {"name", server.name}};
  if (!server.location.empty()) data["location"] = server.location;
  return data;
}

json::object removed_data(const std::string& server_id) { return json::object{{"id", server_id}}; }

}  // namespace drover::fakes::vstats
