// Hostile input to the RemoteDev fake: junk instead of HTTP, a half-open TCP connection, 2,000
// idle WebSocket connections, a frame above the size limit, deep and wide JSON, garbage
// packets of every shape, must leave it serving an app and a monitor, in order.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "remotedev_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

TEST(RemotedevFakeLoad, JunkHalfOpenOversizedAndTwoThousandIdleLeaveOthersServed) {
  auto config = remotedev_test_config(v1);
  config.max_message = 1u << 20;
  auto server = start_remotedev(config);
  auto mon = monitor(server->port());

  EXPECT_TRUE(raw_bytes_get_closed(server->port(), std::string(20000, 'j'), 3s)) << "junk instead of HTTP is dropped";

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket half_open(io);
  half_open.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(half_open, boost::asio::buffer(std::string("GET /socketcluster/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")));

  std::vector<std::unique_ptr<test_client>> idle;
  for (int i = 0; i < 2000; ++i) {
    idle.push_back(std::make_unique<test_client>(server->port(), "/socketcluster/"));
    ASSERT_TRUE(idle.back()->handshake_ok()) << "client " << i;
    if (i % 2) idle.back()->send(handshake_packet(1));  // half of them handshaken, half not
  }

  {
    auto big = handshaken(server->port());
    big->send(std::string(2u << 20, ' '));
    ws_event e = big->next(5s);
    // Beast closes 1009; while the client is still writing it may see the teardown instead.
    EXPECT_NE(e.what, ws_event::kind::message);
    EXPECT_NE(e.what, ws_event::kind::timeout);
    if (e.what == ws_event::kind::closed) {
      EXPECT_EQ(e.close_code, 1009);
    }
  }

  auto a = app(server->port());
  a->send(packet("log", json::value("still served")));
  EXPECT_EQ(mon->next_json(), publication("log", "still served"));
  EXPECT_GE(server->live_sessions(), 2000u) << "the idle connections are still there";
}

TEST(RemotedevFakeLoad, GarbagePacketsOfEveryShapeAreIgnored) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto c = handshaken(server->port());
    const std::vector<std::string> garbage = {
        "", "#1", "#2", "{", "}", "[[[[", "\xff\xfe", "true", "1e999", "[{}]", "{\"event\":null}",
        R"({"event":"login"})", R"({"event":"login","data":{"a":1},"cid":"x"})",
        R"({"event":"#subscribe","data":{"channel":42},"cid":1})", R"({"event":"#subscribe","data":null,"cid":2})",
        R"({"event":"#unsubscribe","data":{"channel":"log"},"cid":3})", R"({"event":"#publish","data":"x","cid":4})",
        R"({"event":"#publish","cid":5})", R"({"event":"log","data":1,"cid":{"x":1}})",
        R"({"event":"#handshake","data":"x","cid":6})", R"({"event":"sc-","data":1})",
        std::string(1000, '['), std::string("[") + std::string(100000, '1') + "]"};
    for (const auto& g : garbage) c->send_binary(g);  // binary: no UTF-8 check by the transport
    // Every one is either ignored or answered; none closes the connection or reaches the monitor
    // (except the log, which is relayed).
    int answers = 0;
    for (;;) {
      ws_event e = c->next(400ms);
      if (e.what == ws_event::kind::timeout) break;
      ASSERT_EQ(e.what, ws_event::kind::message) << name_of(protocol) << " close " << e.close_code;
      ++answers;
    }
    EXPECT_LE(answers, 8) << name_of(protocol);
    EXPECT_EQ(mon->next_json(), publication("log", 1)) << name_of(protocol);
    c->send(packet("log", json::value("after the garbage")));
    EXPECT_EQ(mon->next_json(), publication("log", "after the garbage"));
  }
}

TEST(RemotedevFakeLoad, DeepAndWideStatesAreRelayedWhole) {
  auto server = start_remotedev(remotedev_test_config());
  auto mon = monitor(server->port());
  auto a = app(server->port());
  json::value deep = 1;
  for (int i = 0; i < 200; ++i) deep = json::array{std::move(deep)};
  a->send(packet("log", deep));
  EXPECT_EQ(next_value(*mon).as_object()["data"].as_object()["data"], deep);
  json::object wide;
  for (int i = 0; i < 20000; ++i) wide["key" + std::to_string(i)] = std::string(20, 'v');
  a->send(packet("log", json::value(wide)));
  EXPECT_EQ(mon->next_json(10s)["data"].as_object()["data"], wide);
}

TEST(RemotedevFakeLoad, ManyAppsReachEveryMonitorInEachAppsOrder) {
  auto server = start_remotedev(remotedev_test_config());
  std::vector<sc_client> monitors;
  for (int i = 0; i < 3; ++i) monitors.push_back(monitor(server->port()));
  std::vector<sc_client> apps;
  for (int i = 0; i < 20; ++i) apps.push_back(app(server->port()));
  for (int n = 0; n < 50; ++n)
    for (int i = 0; i < 20; ++i) apps[i]->send(packet("log", json::value(json::object{{"app", i}, {"n", n}})));
  for (auto& m : monitors) {
    std::vector<int> next(20, 0);
    for (int k = 0; k < 1000; ++k) {
      json::object p = m->next_json(5s);
      ASSERT_FALSE(p.empty());
      json::object& d = p["data"].as_object()["data"].as_object();
      int app_index = static_cast<int>(d["app"].as_int64());
      ASSERT_EQ(d["n"].as_int64(), next[app_index]) << "app " << app_index;
      ++next[app_index];
    }
    EXPECT_TRUE(silent(*m, 100ms));
  }
}

}  // namespace
}  // namespace drover::fakes
