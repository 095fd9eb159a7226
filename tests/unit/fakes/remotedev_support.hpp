#pragma once
// Helpers for the RemoteDev fake's tests: start it with long timers (only the timer tests shorten
// them), SocketCluster packets, a handshaken connection, an app or monitor that logged in and
// subscribed to the channel its login answered.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/remotedev/remotedev_server.hpp"
#include "test_client.hpp"

namespace drover::fakes::test {

namespace json = boost::json;
using namespace std::chrono_literals;
using socketcluster_protocol::v1;
using socketcluster_protocol::v2;

inline remotedev_config remotedev_test_config(socketcluster_protocol protocol = v2,
                                              std::vector<std::string> faults = {}) {
  remotedev_config config;
  config.listen.threads = 2;
  config.protocol = protocol;
  config.faults = std::move(faults);
  config.ping_interval = 60s;
  config.ping_timeout = 120s;
  config.handshake_timeout = 60s;
  return config;
}

inline const char* name_of(socketcluster_protocol p) { return p == v1 ? "v1" : "v2"; }

// {"event":E[,"data":D][,"cid":N]}; a null data pointer leaves "data" out.
inline std::string packet(const std::string& event, const json::value* data = nullptr,
                          std::optional<std::int64_t> cid = std::nullopt) {
  json::object p{{"event", event}};
  if (data) p["data"] = *data;
  if (cid) p["cid"] = *cid;
  return json::serialize(p);
}

inline std::string packet(const std::string& event, const json::value& data, std::optional<std::int64_t> cid = std::nullopt) {
  return packet(event, &data, cid);
}

// A JSON array of packets in one frame.
inline std::string batch(const std::vector<std::string>& packets) {
  std::string out(1, '[');
  for (const auto& p : packets) {
    if (out.size() > 1) out += ',';
    out += p;
  }
  out += ']';
  return out;
}

inline std::string handshake_packet(std::int64_t cid = 1) {
  return packet("#handshake", json::value(json::object{{"authToken", nullptr}}), cid);
}

inline std::string subscribe_packet(const std::string& channel, std::int64_t cid) {
  return packet("#subscribe", json::value(json::object{{"channel", channel}}), cid);
}

// The next text message parsed as JSON (any JSON, up to 512 levels deep, unlike next_json); a
// GTest failure otherwise.
inline json::value next_value(test_client& c, std::chrono::milliseconds timeout = 3000ms) {
  ws_event e = c.next(timeout);
  if (e.what != ws_event::kind::message) {
    ADD_FAILURE() << "expected a message, got "
                  << (e.what == ws_event::kind::closed ? "close " + std::to_string(e.close_code)
                      : e.what == ws_event::kind::error ? "error " + e.error
                                                        : std::string("nothing (timeout)"));
    return {};
  }
  boost::system::error_code ec;
  json::parse_options deep;
  deep.max_depth = 512;
  json::value v = json::parse(e.data, ec, {}, deep);
  if (ec) ADD_FAILURE() << "not JSON: " << e.data.substr(0, 200);
  return v;
}

// True when nothing arrives within the wait.
inline bool silent(test_client& c, std::chrono::milliseconds wait = 300ms) {
  return c.next(wait).what == ws_event::kind::timeout;
}

struct sc_client {
  std::unique_ptr<test_client> ws;
  std::string id;  // from the handshake answer
  test_client* operator->() { return ws.get(); }
  test_client& operator*() { return *ws; }
};

// A connection that completed the handshake (cid 1).
inline sc_client handshaken(std::uint16_t port, const std::string& query = "") {
  sc_client c{std::make_unique<test_client>(port, "/socketcluster/" + query), ""};
  EXPECT_TRUE(c->handshake_ok());
  c->send(handshake_packet());
  json::object answer = c->next_json();
  EXPECT_EQ(answer["rid"], 1) << json::serialize(answer);
  if (const json::value* data = answer.if_contains("data"); data && data->is_object()) {
    if (const json::value* id = data->as_object().if_contains("id"); id && id->is_string()) c.id = std::string(id->as_string());
  }
  return c;
}

// Logged in with `credentials` ("master": an app) and subscribed to the channel the login
// answered; both answers consumed.
inline sc_client logged_in(std::uint16_t port, const std::string& credentials, const std::string& query = "") {
  sc_client c = handshaken(port, query);
  c->send(packet("login", json::value(credentials), 2));
  json::object answer = c->next_json();
  EXPECT_EQ(answer["rid"], 2) << json::serialize(answer);
  std::string channel = answer.contains("data") && answer["data"].is_string() ? std::string(answer["data"].as_string()) : "";
  c->send(subscribe_packet(channel, 3));
  EXPECT_EQ(c->next_json(), (json::object{{"rid", 3}}));
  return c;
}

inline sc_client app(std::uint16_t port, const std::string& query = "") { return logged_in(port, "master", query); }
inline sc_client monitor(std::uint16_t port, const std::string& query = "") { return logged_in(port, "monitor", query); }

// {"event":"#publish","data":{"channel":C,"data":D}} as the fake must send it.
inline json::object publication(const std::string& channel, const json::value& data) {
  return json::object{{"event", "#publish"}, {"data", json::object{{"channel", channel}, {"data", data}}}};
}

}  // namespace drover::fakes::test
