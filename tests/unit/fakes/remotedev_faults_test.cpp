// Each RemoteDev fault breaks its one rule (fakes/README.md "## remotedev"), per connection
// (?fault=) or per run, and leaves connections without it alone.
#include <set>

#include "remotedev_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using clock = std::chrono::steady_clock;

TEST(RemotedevFakeFaults, TableListsEveryFaultOnceWithARule) {
  std::set<std::string> names;
  for (const auto& f : remotedev_faults()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
    EXPECT_NE(f.rule.find("docs/protocols/remotedev.md §"), std::string::npos) << f.name;
  }
  for (const char* required : {"no-handshake-timeout", "non-handshake-accepted", "no-ping", "ping-timeout-ignored",
                               "log-noid-not-wrapped", "no-disconnected", "publish-accepted",
                               "wrong-channel-for-monitor", "answer-plain-emit"})
    EXPECT_TRUE(names.count(required)) << required;
}

TEST(RemotedevFakeFaults, NoHandshakeTimeoutKeepsWaiting) {
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.handshake_timeout = 200ms;
    auto server = start_remotedev(config);
    test_client faulty(server->port(), "/socketcluster/?fault=no-handshake-timeout");
    test_client normal(server->port(), "/socketcluster/");
    EXPECT_EQ(normal.wait_close(), 4005);
    EXPECT_TRUE(silent(faulty, 600ms)) << name_of(protocol);
    faulty.send(handshake_packet(1));
    EXPECT_EQ(faulty.next_json()["rid"], 1) << "a late handshake is still answered";
  }
}

TEST(RemotedevFakeFaults, EarlyHandshakeTimeoutClosesAtHalf) {
  auto config = remotedev_test_config();
  config.handshake_timeout = 1000ms;
  auto server = start_remotedev(config);
  auto t0 = clock::now();
  test_client faulty(server->port(), "/socketcluster/?fault=early-handshake-timeout");
  EXPECT_EQ(faulty.wait_close(3s), 4005);
  auto elapsed = clock::now() - t0;
  EXPECT_GE(elapsed, 480ms);
  EXPECT_LT(elapsed, 900ms);
}

TEST(RemotedevFakeFaults, NonHandshakeAcceptedTakesAnyFirstPacket) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    test_client c(server->port(), "/socketcluster/?fault=non-handshake-accepted");
    c.send(protocol == v1 ? "#2" : "");
    c.send("{not json");
    c.send(packet("login", json::value("master"), 1));
    EXPECT_EQ(c.next_json(), (json::object{{"rid", 1}, {"data", "respond"}})) << name_of(protocol);
    c.send(handshake_packet(2));
    EXPECT_EQ(c.next_json()["rid"], 2) << "the handshake still works";
    test_client normal(server->port(), "/socketcluster/");
    normal.send(packet("login", json::value("master"), 1));
    EXPECT_EQ(normal.wait_close(), 4009);
  }
}

TEST(RemotedevFakeFaults, HandshakeAnswerFaults) {
  auto server = start_remotedev(remotedev_test_config());
  test_client rid(server->port(), "/socketcluster/?fault=handshake-wrong-rid");
  rid.send(handshake_packet(1));
  EXPECT_EQ(rid.next_json()["rid"], 2);

  test_client ping_timeout(server->port(), "/socketcluster/?fault=handshake-wrong-ping-timeout");
  ping_timeout.send(handshake_packet(1));
  EXPECT_EQ(ping_timeout.next_json()["data"].as_object()["pingTimeout"], 60000) << "half of the 120 s applied";

  test_client no_id(server->port(), "/socketcluster/?fault=handshake-no-id");
  no_id.send(handshake_packet(1));
  json::object answer = no_id.next_json();
  EXPECT_EQ(answer["rid"], 1);
  EXPECT_FALSE(answer["data"].as_object().contains("id")) << json::serialize(answer);
  EXPECT_TRUE(answer["data"].as_object().contains("pingTimeout"));
}

TEST(RemotedevFakeFaults, SameSocketIdForEveryFaultyConnection) {
  auto server = start_remotedev(remotedev_test_config());
  auto a = handshaken(server->port(), "?fault=same-socket-id");
  auto b = handshaken(server->port(), "?fault=same-socket-id");
  auto c = handshaken(server->port());
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.id.size(), 20u);
  EXPECT_NE(c.id, a.id);
}

TEST(RemotedevFakeFaults, NoPingAndSlowPing) {
  auto config = remotedev_test_config();
  config.ping_interval = 100ms;
  auto server = start_remotedev(config);
  test_client none(server->port(), "/socketcluster/?fault=no-ping");
  test_client slow(server->port(), "/socketcluster/?fault=slow-ping");
  test_client normal(server->port(), "/socketcluster/");
  auto t0 = clock::now();
  int normal_pings = 0;
  std::vector<clock::duration> slow_pings;
  while (clock::now() - t0 < 800ms) {
    if (normal.next(5ms).what == ws_event::kind::message) ++normal_pings;
    if (slow.next(5ms).what == ws_event::kind::message) slow_pings.push_back(clock::now() - t0);
    EXPECT_EQ(none.next(5ms).what, ws_event::kind::timeout);
  }
  EXPECT_GE(normal_pings, 5);
  ASSERT_FALSE(slow_pings.empty());
  EXPECT_GE(slow_pings.front(), 240ms) << "2.5 intervals";
  EXPECT_LE(slow_pings.size(), 3u);
}

TEST(RemotedevFakeFaults, PingWrongFormatUsesTheOtherVersions) {
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.ping_interval = 100ms;
    auto server = start_remotedev(config);
    test_client c(server->port(), "/socketcluster/?fault=ping-wrong-format");
    ws_event e = c.next();
    ASSERT_EQ(e.what, ws_event::kind::message);
    EXPECT_EQ(e.data, protocol == v1 ? "" : "#1") << name_of(protocol);
  }
}

TEST(RemotedevFakeFaults, PingTimeoutIgnoredNeverCloses4001) {
  auto config = remotedev_test_config();
  config.ping_timeout = 200ms;
  auto server = start_remotedev(config);
  auto faulty = handshaken(server->port(), "?fault=ping-timeout-ignored");
  auto normal = handshaken(server->port());
  EXPECT_EQ(normal->wait_close(), 4001);
  EXPECT_TRUE(silent(*faulty, 800ms));
}

TEST(RemotedevFakeFaults, EarlyPingTimeoutClosesAtHalf) {
  auto config = remotedev_test_config();
  config.ping_timeout = 1000ms;
  auto server = start_remotedev(config);
  auto t0 = clock::now();  // before its handshake, its last message
  auto faulty = handshaken(server->port(), "?fault=early-ping-timeout");
  EXPECT_EQ(faulty->wait_close(3s), 4001);
  auto elapsed = clock::now() - t0;
  EXPECT_GE(elapsed, 490ms);
  EXPECT_LT(elapsed, 900ms);
}

TEST(RemotedevFakeFaults, PongOnlyKeepaliveIgnoresOtherMessages) {
  auto config = remotedev_test_config();
  config.ping_timeout = 700ms;
  auto server = start_remotedev(config);
  auto talker = handshaken(server->port(), "?fault=pong-only-keepalive");
  auto ponger = handshaken(server->port(), "?fault=pong-only-keepalive");
  auto t0 = clock::now();
  int talker_code = 0;
  while (clock::now() - t0 < 1800ms) {
    talker->send(packet("hello", json::value(1)));
    ponger->send("");  // the v2 pong
    if (talker_code == 0) {
      ws_event e = talker->next(100ms);
      if (e.what == ws_event::kind::closed) talker_code = e.close_code;
    } else {
      std::this_thread::sleep_for(100ms);
    }
  }
  EXPECT_EQ(talker_code, 4001) << "other messages do not count";
  EXPECT_TRUE(silent(*ponger, 10ms)) << "pongs still do";
}

TEST(RemotedevFakeFaults, SubscribeNotAckedStillSubscribes) {
  auto server = start_remotedev(remotedev_test_config());
  auto c = handshaken(server->port(), "?fault=subscribe-not-acked");
  c->send(subscribe_packet("log", 5));
  EXPECT_TRUE(silent(*c));
  auto a = handshaken(server->port());
  a->send(packet("log", json::value(1)));
  EXPECT_EQ(c->next_json(), publication("log", 1));
}

TEST(RemotedevFakeFaults, UnsubscribeIgnoredKeepsDelivering) {
  auto server = start_remotedev(remotedev_test_config());
  auto c = handshaken(server->port(), "?fault=unsubscribe-ignored");
  c->send(subscribe_packet("log", 5));
  EXPECT_EQ(c->next_json(), (json::object{{"rid", 5}}));
  c->send(packet("#unsubscribe", json::value("log"), 6));
  EXPECT_EQ(c->next_json(), (json::object{{"rid", 6}}));
  auto a = handshaken(server->port());
  a->send(packet("log", json::value(1)));
  EXPECT_EQ(c->next_json(), publication("log", 1));
}

TEST(RemotedevFakeFaults, DeliverUnsubscribedSendsEveryChannel) {
  auto server = start_remotedev(remotedev_test_config());
  auto spy = handshaken(server->port(), "?fault=deliver-unsubscribed");
  auto honest = handshaken(server->port());
  auto a = handshaken(server->port());
  a->send(packet("log", json::value(1)));
  a->send(packet("respond", json::value(2)));
  EXPECT_EQ(spy->next_json(), publication("log", 1));
  EXPECT_EQ(spy->next_json(), publication("respond", 2));
  EXPECT_TRUE(silent(*honest));
}

TEST(RemotedevFakeFaults, PublishAcceptedAnswersAndDelivers) {
  auto server = start_remotedev(remotedev_test_config());
  auto mon = monitor(server->port());
  auto a = handshaken(server->port(), "?fault=publish-accepted");
  a->send(packet("#publish", json::value(json::object{{"channel", "log"}, {"data", {{"n", 1}}}}), 9));
  EXPECT_EQ(a->next_json(), (json::object{{"rid", 9}}));
  EXPECT_EQ(mon->next_json(), publication("log", json::object{{"n", 1}}));
}

TEST(RemotedevFakeFaults, WrongChannelFaultsEachSwapOneAnswer) {
  auto server = start_remotedev(remotedev_test_config());
  auto m = handshaken(server->port(), "?fault=wrong-channel-for-monitor");
  m->send(packet("login", json::value("monitor"), 2));
  EXPECT_EQ(m->next_json(), (json::object{{"rid", 2}, {"data", "respond"}}));
  m->send(packet("login", json::value("master"), 3));
  EXPECT_EQ(m->next_json(), (json::object{{"rid", 3}, {"data", "respond"}})) << "the app's answer stays right";
  auto a = handshaken(server->port(), "?fault=wrong-channel-for-app");
  a->send(packet("login", json::value("master"), 2));
  EXPECT_EQ(a->next_json(), (json::object{{"rid", 2}, {"data", "log"}}));
  a->send(packet("login", json::value("monitor"), 3));
  EXPECT_EQ(a->next_json(), (json::object{{"rid", 3}, {"data", "log"}})) << "the monitor's answer stays right";
}

TEST(RemotedevFakeFaults, AnswerPlainEmitAcksEventsWithACid) {
  auto server = start_remotedev(remotedev_test_config());
  auto mon = monitor(server->port());
  auto a = app(server->port(), "?fault=answer-plain-emit");
  a->send(packet("log", json::value(1), 7));
  EXPECT_EQ(a->next_json(), (json::object{{"rid", 7}}));
  EXPECT_EQ(mon->next_json(), publication("log", 1)) << "and relays it as well";
  a->send(packet("log", json::value(2)));
  EXPECT_EQ(mon->next_json(), publication("log", 2));
  EXPECT_TRUE(silent(*a)) << "no cid, no answer";
}

TEST(RemotedevFakeFaults, LogRelayFaults) {
  auto server = start_remotedev(remotedev_test_config());
  auto mon = monitor(server->port());
  auto lost = app(server->port(), "?fault=log-not-relayed");
  lost->send(packet("log", json::value(1)));
  lost->send(packet("log-noid", json::value(2)));
  EXPECT_EQ(mon->next_json(), publication("log", json::object{{"id", lost.id}, {"data", 2}})) << "only log is lost";

  auto modified = app(server->port(), "?fault=log-relayed-modified");
  modified->send(packet("log", json::value(json::object{{"type", "ACTION"}, {"payload", "{}"}})));
  EXPECT_EQ(mon->next_json(), publication("log", json::object{{"type", "ACTION"}}));
  modified->send(packet("log", json::value(5)));
  EXPECT_EQ(mon->next_json(), publication("log", nullptr));

  auto unwrapped = app(server->port(), "?fault=log-noid-not-wrapped");
  unwrapped->send(packet("log-noid", json::value(json::object{{"type", "INIT"}})));
  EXPECT_EQ(mon->next_json(), publication("log", json::object{{"type", "INIT"}}));

  auto wrong_id = app(server->port(), "?fault=log-noid-wrong-id");
  wrong_id->send(packet("log-noid", json::value(json::object{{"type", "INIT"}})));
  json::object wrapped = mon->next_json()["data"].as_object()["data"].as_object();
  EXPECT_NE(wrapped["id"], json::value(wrong_id.id));
  EXPECT_EQ(wrapped["data"], (json::object{{"type", "INIT"}}));
  EXPECT_TRUE(silent(*mon));
}

TEST(RemotedevFakeFaults, RespondNotRelayed) {
  auto server = start_remotedev(remotedev_test_config());
  auto a = app(server->port());
  auto mon = monitor(server->port(), "?fault=respond-not-relayed");
  mon->send(packet("respond", json::value(1)));
  EXPECT_TRUE(silent(*a));
  auto good = monitor(server->port());
  good->send(packet("respond", json::value(2)));
  EXPECT_EQ(a->next_json(), publication("respond", 2));
}

TEST(RemotedevFakeFaults, NoDisconnectedForThatApp) {
  auto server = start_remotedev(remotedev_test_config());
  auto mon = monitor(server->port());
  { auto quiet = app(server->port(), "?fault=no-disconnected"); }
  EXPECT_TRUE(silent(*mon));
  std::string id;
  {
    auto loud = app(server->port());
    id = loud.id;
  }
  EXPECT_EQ(mon->next_json(), publication("log", json::object{{"id", id}, {"type", "DISCONNECTED"}}));
}

TEST(RemotedevFakeFaults, RunWideFaultReachesEveryConnection) {
  auto config = remotedev_test_config(v1, {"handshake-wrong-rid", "answer-plain-emit"});
  auto server = start_remotedev(config);
  for (int i = 0; i < 3; ++i) {
    test_client c(server->port(), "/socketcluster/");
    c.send(handshake_packet(4));
    EXPECT_EQ(c.next_json()["rid"], 5);
    c.send(packet("log", json::value(1), 8));
    EXPECT_EQ(c.next_json(), (json::object{{"rid", 8}}));
  }
}

}  // namespace
}  // namespace drover::fakes
