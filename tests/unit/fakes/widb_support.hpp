#pragma once
// Helpers for the WiDB fake's tests: start it, make phones (session started) and dashboards
// (associated), build messages.
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/widb/widb_server.hpp"
#include "test_client.hpp"

namespace drover::fakes::test {

namespace json = boost::json;

inline widb_config widb_test_config(std::vector<std::string> faults = {}) {
  widb_config config;
  config.listen.threads = 2;
  config.faults = std::move(faults);
  return config;
}

inline std::string start_frame(const std::string& key, const std::string& os = "Android") {
  return json::serialize(json::object{{"messageType", "startSession"}, {"apiKey", key}, {"osType", os},
                                      {"deviceName", "Pixel"}, {"appName", "test"}});
}

// A logDump of the given raw text; os empty: no osType field (as iOS apps send it).
inline std::string dump_frame(const std::string& raw, const std::string& os = "Android") {
  json::object o{{"messageType", "logDump"}, {"rawLogData", raw}};
  if (!os.empty()) o["osType"] = os;
  return json::serialize(o);
}

inline json::object metrics_object(std::int64_t ts = 1527000271180) {
  return json::object{{"messageType", "deviceMetrics"}, {"osType", "Android"}, {"cpuUsage", 0.27},
                      {"memUsage", 1843200},  {"memTotal", 3774873},    {"netSentPerSec", 1024.5},
                      {"netReceivePerSec", 20480.0}, {"timeStamp", ts}};
}

inline std::string threadtime(const std::string& text) { return "05-24 12:12:49.247 23930 23930 E AndroidRuntime: " + text; }
inline std::string studio(const std::string& text) {
  return "05-22 11:44:31.180 7080-7080/com.google.wireless.debugging I/WiDB Example: " + text;
}
inline std::string ios(const std::string& text) { return "2024-05-22 11:44:31.180+0200 Hangouts[812:5123] " + text; }

inline std::unique_ptr<test_client> phone(std::uint16_t port, const std::string& key, const std::string& os = "Android",
                                          const std::string& query = "") {
  auto c = std::make_unique<test_client>(port, "/ws" + query);
  EXPECT_TRUE(c->handshake_ok());
  c->send(start_frame(key, os));
  return c;
}

// A dashboard associated with key. associateUser has no answer: a short pause lets the server
// read it before the test's phones send (the fake handles it within microseconds).
inline std::unique_ptr<test_client> dashboard(std::uint16_t port, const std::string& key, const std::string& query = "") {
  auto c = std::make_unique<test_client>(port, "/ws" + query);
  EXPECT_TRUE(c->handshake_ok());
  c->send(json::serialize(json::object{{"messageType", "associateUser"}, {"apiKey", key}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return c;
}

// The text of each entry of a logData (objects: their "text"; strings: themselves).
inline std::vector<std::string> entry_texts(const json::object& log_data) {
  std::vector<std::string> out;
  const json::value* entries = log_data.if_contains("logEntries");
  if (!entries || !entries->is_array()) return out;
  for (const auto& e : entries->as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
    else if (e.is_object() && e.as_object().contains("text") && e.as_object().at("text").is_string())
      out.emplace_back(e.as_object().at("text").as_string());
    else out.emplace_back("?");
  }
  return out;
}

// True when nothing arrives within the wait (a message is a failure; a close or error is not "nothing").
inline bool silent(test_client& c, std::chrono::milliseconds wait = std::chrono::milliseconds(300)) {
  return c.next(wait).what == ws_event::kind::timeout;
}

}  // namespace drover::fakes::test
