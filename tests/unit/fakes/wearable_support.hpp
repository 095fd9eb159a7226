#pragma once
// Helpers for the wearable fake's tests: start it with test-friendly timings, connect and IDENTIFY.
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/wearable/wearable_server.hpp"
#include "test_client.hpp"

namespace drover::fakes::test {

namespace json = boost::json;

// Long timers by default so that only the tests about timers see them fire.
inline wearable_config test_config() {
  wearable_config config;
  config.listen.threads = 2;
  config.heartbeat_interval = std::chrono::milliseconds(10'000);
  config.identify_timeout = std::chrono::milliseconds(10'000);
  return config;
}

inline std::string identify_frame(const std::string& token, int type) {
  return json::serialize(json::object{{"op", 3}, {"d", json::object{{"token", token}, {"type", type}}}});
}

inline std::string submit_frame(std::int64_t val, const std::string& type = "HEART_RATE") {
  return json::serialize(json::object{{"op", 6}, {"d", json::object{{"val", val}}}, {"t", type}});
}

// Connects, expects HELLO, sends IDENTIFY and expects READY. type 0 producer, 1 consumer.
inline std::unique_ptr<test_client> identified(std::uint16_t port, const std::string& token, int type,
                                               const std::string& target = "/") {
  auto c = std::make_unique<test_client>(port, target);
  EXPECT_TRUE(c->handshake_ok());
  auto hello = c->next_json();
  EXPECT_EQ(hello["op"], 2);
  c->send(identify_frame(token, type));
  auto ready = c->next_json();
  EXPECT_EQ(ready["op"], 4) << json::serialize(ready);
  return c;
}

// Reads n DISPATCH frames.
inline std::vector<json::object> dispatches(test_client& c, int n) {
  std::vector<json::object> out;
  for (int i = 0; i < n; ++i) {
    auto m = c.next_json();
    if (m.empty()) break;
    EXPECT_EQ(m["op"], 5) << json::serialize(m);
    out.push_back(std::move(m));
  }
  return out;
}

// Waits (generously: a loaded machine) until the server holds no session; false on timeout.
inline bool no_sessions_within(fake_server& server, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (server.live_sessions() > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

inline std::int64_t seq_of(const json::object& m) {
  const json::value* s = m.if_contains("seq");
  return s && s->is_int64() ? s->as_int64() : -1;
}

}  // namespace drover::fakes::test
