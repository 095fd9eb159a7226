// The correct RemoteDev fake (fakes/README.md "## remotedev"), both SocketCluster versions, at the
// wire: the handshake and its answer, 4009 for anything else first, pings and the ping timeout,
// auth tokens, and the answers the real servers give to the rest. After the handshake:
// remotedev_channels_test.cpp.
#include <set>
#include <thread>

#include "remotedev_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

TEST(RemotedevFake, HandshakeAnswerCarriesIdPingTimeoutAndIsAuthenticated) {
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.ping_timeout = std::chrono::milliseconds(0);  // the protocol's own
    auto server = start_remotedev(config);
    test_client c(server->port(), "/socketcluster/");
    ASSERT_TRUE(c.handshake_ok());
    c.send(handshake_packet(1));
    json::object answer = c.next_json();
    ASSERT_EQ(answer.size(), 2u) << json::serialize(answer);
    EXPECT_EQ(answer["rid"], 1);
    json::object& data = answer["data"].as_object();
    EXPECT_TRUE(data["id"].is_string());
    EXPECT_EQ(data["id"].as_string().size(), 20u);
    EXPECT_EQ(data["pingTimeout"], protocol == v1 ? 20000 : 30000) << name_of(protocol);
    EXPECT_EQ(data["isAuthenticated"], false);
    EXPECT_EQ(data.size(), 3u) << json::serialize(data);
    EXPECT_TRUE(silent(c)) << "nothing else follows the answer";
  }
}

TEST(RemotedevFake, PingTimeoutFlagIsWhatTheAnswerAnnounces) {
  auto config = remotedev_test_config(v1);
  config.ping_timeout = 1500ms;
  auto server = start_remotedev(config);
  test_client c(server->port(), "/socketcluster/");
  c.send(handshake_packet(5));
  json::object answer = c.next_json();
  EXPECT_EQ(answer["rid"], 5);
  EXPECT_EQ(answer["data"].as_object()["pingTimeout"], 1500);
}

TEST(RemotedevFake, SocketIdsAreUniqueStrings) {
  auto server = start_remotedev(remotedev_test_config());
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto c = handshaken(server->port());
    ASSERT_EQ(c.id.size(), 20u);
    EXPECT_TRUE(ids.insert(c.id).second) << c.id;
  }
}

TEST(RemotedevFake, OnlyTheSocketclusterPathUpgrades) {
  auto server = start_remotedev(remotedev_test_config());
  for (const char* path : {"/", "/socketcluster", "/socketcluster/x", "/ws"}) {
    test_client c(server->port(), path);
    EXPECT_FALSE(c.handshake_ok()) << path;
    EXPECT_EQ(c.http_status(), 404u) << path;
  }
  test_client query(server->port(), "/socketcluster/?x=1");
  EXPECT_TRUE(query.handshake_ok()) << "a query string is fine";
  test_client unknown(server->port(), "/socketcluster/?fault=nope");
  EXPECT_EQ(unknown.http_status(), 400u) << "an unknown fault in the query is refused";
}

TEST(RemotedevFake, AnythingButTheHandshakeFirstCloses4009) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    std::string pong = protocol == v1 ? "#2" : "";
    for (const std::string& first :
         {packet("login", json::value("master"), 1), pong, std::string("{not json"), std::string("[1]"),
          std::string("42"), packet("#subscribe", json::value(json::object{{"channel", "log"}}), 1),
          std::string(R"({"rid":1,"data":null})")}) {
      test_client c(server->port(), "/socketcluster/");
      c.send(first);
      EXPECT_EQ(c.wait_close(), 4009) << name_of(protocol) << " first: '" << first << "'";
    }
  }
}

TEST(RemotedevFake, ArrayOfPacketsIsTakenInOrderEvenFirst) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    test_client c(server->port(), "/socketcluster/");
    c.send(batch({handshake_packet(1), packet("login", json::value("master"), 2), subscribe_packet("respond", 3)}));
    EXPECT_EQ(c.next_json()["rid"], 1) << name_of(protocol);
    EXPECT_EQ(c.next_json(), (json::object{{"rid", 2}, {"data", "respond"}}));
    EXPECT_EQ(c.next_json(), (json::object{{"rid", 3}}));
    // A later packet in the same array as a refused one is not looked at.
    test_client refused(server->port(), "/socketcluster/");
    refused.send(batch({packet("login", json::value("master"), 1), handshake_packet(2)}));
    EXPECT_EQ(refused.wait_close(), 4009);
  }
}

TEST(RemotedevFake, NoHandshakeCloses4005AtTheTimeout) {
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.handshake_timeout = 400ms;
    auto server = start_remotedev(config);
    auto t0 = std::chrono::steady_clock::now();
    test_client c(server->port(), "/socketcluster/");
    if (protocol == v1) {
      // remotedev-server announces its disconnect before the close frame.
      EXPECT_EQ(c.next_json(), (json::object{{"event", "#disconnect"}, {"data", {{"code", 4005}}}}));
    }
    EXPECT_EQ(c.wait_close(5s), 4005) << name_of(protocol);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(elapsed, 380ms);
    EXPECT_LT(elapsed, 3s);
  }
  auto config = remotedev_test_config();
  config.handshake_timeout = 300ms;
  auto server = start_remotedev(config);
  auto c = handshaken(server->port());
  EXPECT_TRUE(silent(*c, 700ms)) << "a handshaken connection stays";
}

TEST(RemotedevFake, PingsComeEveryIntervalFromTheOpeningInTheVersionsFormat) {
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.ping_interval = 150ms;
    auto server = start_remotedev(config);
    auto t0 = std::chrono::steady_clock::now();
    test_client c(server->port(), "/socketcluster/");  // no handshake: pings come anyway
    std::vector<std::chrono::steady_clock::duration> at;
    while (at.size() < 4) {
      ws_event e = c.next(3s);
      ASSERT_EQ(e.what, ws_event::kind::message) << name_of(protocol);
      EXPECT_EQ(e.data, protocol == v1 ? "#1" : "") << name_of(protocol);
      EXPECT_TRUE(e.text);
      at.push_back(std::chrono::steady_clock::now() - t0);
    }
    EXPECT_GE(at[0], 130ms);
    EXPECT_GE(at[3], 580ms) << "four pings take four intervals";
  }
}

TEST(RemotedevFake, SilenceCloses4001AndAnyMessageResetsIt) {
  using clock = std::chrono::steady_clock;
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.ping_timeout = 1000ms;
    auto server = start_remotedev(config);
    auto talker = handshaken(server->port());
    auto quiet_start = clock::now();  // before its last message (the handshake)
    auto quiet = handshaken(server->port());
    // Junk, an unknown event and the other version's pong all count as signs of life.
    const std::vector<std::string> noises = {"{not json", packet("hello", json::value(1)), protocol == v1 ? "" : "#2"};
    int quiet_code = 0;
    clock::duration quiet_after{};
    clock::time_point last_noise;
    auto give_up = clock::now() + 6s;
    for (int i = 0; (i < 10 || quiet_code == 0) && clock::now() < give_up; ++i) {
      last_noise = clock::now();
      talker->send(noises[i % noises.size()]);
      if (quiet_code != 0) {
        EXPECT_TRUE(silent(*talker, 150ms)) << name_of(protocol) << ": the talker stays";
        continue;
      }
      ws_event e = quiet->next(150ms);
      if (e.what == ws_event::kind::timeout) continue;
      ASSERT_EQ(e.what, ws_event::kind::closed) << name_of(protocol);
      quiet_code = e.close_code;
      quiet_after = clock::now() - quiet_start;
    }
    EXPECT_EQ(quiet_code, 4001) << name_of(protocol);
    EXPECT_GE(quiet_after, 990ms) << "not before pingTimeout of silence";
    EXPECT_LT(quiet_after, 4s);
    EXPECT_EQ(talker->wait_close(5s), 4001) << "silent from now on";
    EXPECT_GE(clock::now() - last_noise, 990ms);
  }
}

TEST(RemotedevFake, AnsweringPingsKeepsTheConnection) {
  for (auto protocol : {v1, v2}) {
    auto config = remotedev_test_config(protocol);
    config.ping_interval = 100ms;
    config.ping_timeout = 1000ms;
    auto server = start_remotedev(config);
    auto c = handshaken(server->port());
    auto until = std::chrono::steady_clock::now() + 1500ms;
    int pings = 0;
    while (std::chrono::steady_clock::now() < until) {
      ws_event e = c->next(1000ms);
      ASSERT_EQ(e.what, ws_event::kind::message) << name_of(protocol) << " closed " << e.close_code;
      ++pings;
      c->send(protocol == v1 ? "#2" : "");
    }
    EXPECT_GE(pings, 8);
  }
}

TEST(RemotedevFake, AnAuthTokenIsRefusedAsTheRealServersDo) {
  auto s1 = start_remotedev(remotedev_test_config(v1));
  test_client c1(s1->port(), "/socketcluster/");
  c1.send(packet("#handshake", json::value(json::object{{"authToken", "abc"}}), 1));
  EXPECT_EQ(c1.next_json(), (json::object{{"event", "#removeAuthToken"}, {"data", nullptr}}));
  json::object a1 = c1.next_json();
  EXPECT_EQ(a1["data"].as_object()["authError"], (json::object{{"message", "jwt malformed"}, {"name", "AuthTokenInvalidError"}}));
  EXPECT_EQ(a1["data"].as_object()["isAuthenticated"], false);

  auto s2 = start_remotedev(remotedev_test_config(v2));
  test_client c2(s2->port(), "/socketcluster/");
  c2.send(packet("#handshake", json::value(json::object{{"authToken", "a.b.c"}}), 1));
  json::object a2 = c2.next_json();
  EXPECT_EQ(a2["data"].as_object()["authError"],
            (json::object{{"message", "invalid signature"}, {"name", "AuthTokenInvalidError"}, {"isBadToken", true}}));
  EXPECT_EQ(c2.next_json(), (json::object{{"event", "#removeAuthToken"}}));
  for (const json::value& none : {json::value(), json::value(""), json::value(false)}) {
    test_client c(s2->port(), "/socketcluster/");
    c.send(packet("#handshake", json::value(json::object{{"authToken", none}}), 1));
    EXPECT_FALSE(c.next_json()["data"].as_object().contains("authError")) << json::serialize(none);
    EXPECT_TRUE(silent(c, 100ms));
  }
}

TEST(RemotedevFake, SecondHandshakeAnsweredInV2IgnoredInV1) {
  auto s1 = start_remotedev(remotedev_test_config(v1));
  auto c1 = handshaken(s1->port());
  c1->send(handshake_packet(9));
  EXPECT_TRUE(silent(*c1));
  auto s2 = start_remotedev(remotedev_test_config(v2));
  auto c2 = handshaken(s2->port());
  c2->send(handshake_packet(9));
  json::object again = c2->next_json();
  EXPECT_EQ(again["rid"], 9);
  EXPECT_EQ(again["data"].as_object()["id"], json::value(c2.id)) << "the same socket";
}

TEST(RemotedevFake, HandshakeWithoutACidIsRefusedInV2AndSilentInV1) {
  auto s2 = start_remotedev(remotedev_test_config(v2));
  test_client c2(s2->port(), "/socketcluster/");
  c2.send(packet("#handshake", json::value(json::object{{"authToken", nullptr}})));
  EXPECT_EQ(c2.wait_close(), 4008);
  auto s1 = start_remotedev(remotedev_test_config(v1));
  test_client c1(s1->port(), "/socketcluster/");
  c1.send(packet("#handshake", json::value(json::object{{"authToken", nullptr}}), 0));  // cid 0: falsy in JS
  EXPECT_TRUE(silent(c1)) << "handshake done, nothing to answer";
  c1.send(packet("login", json::value("master"), 4));
  EXPECT_EQ(c1.next_json(), (json::object{{"rid", 4}, {"data", "respond"}})) << "and no 4009 afterwards";
}

TEST(RemotedevFake, ReservedEventsAndJunkAfterTheHandshakeAreIgnored) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto c = handshaken(server->port());
    for (const std::string& ignored :
         {std::string("{not json"), std::string("[]"), std::string("[1,\"x\",null]"), std::string("\"text\""),
          std::string("null"), std::string(R"({"rid":3,"data":1})"), std::string(R"({"event":42,"data":1,"cid":4})"),
          packet("#removeAuthToken"), packet("#disconnect", json::value(json::object{{"code", 1000}})),
          packet("#unknown", json::value(1)), std::string(protocol == v1 ? "#2" : "")}) {
      c->send(ignored);
    }
    c->send_binary(packet("log", json::value("binary")));
    EXPECT_EQ(mon->next_json(), publication("log", "binary")) << name_of(protocol) << ": binary frames read as text";
    EXPECT_TRUE(silent(*c)) << name_of(protocol);
    c->send(packet("#authenticate", json::value("token"), 5));
    json::object refused = c->next_json();
    EXPECT_EQ(refused["error"].as_object()["name"], "AuthTokenInvalidError");
  }
}

TEST(RemotedevFake, ChannelLimitAndNameLengthAreBounded) {
  auto config = remotedev_test_config();
  config.channel_limit = 3;
  auto server = start_remotedev(config);
  auto c = handshaken(server->port());
  for (int i = 0; i < 3; ++i) {
    c->send(subscribe_packet(std::string(1, 'c').append(std::to_string(i)), 10 + i));
    EXPECT_EQ(c->next_json(), (json::object{{"rid", 10 + i}}));
  }
  c->send(subscribe_packet("c0", 20));
  EXPECT_EQ(c->next_json(), (json::object{{"rid", 20}})) << "a channel it has is no new one";
  c->send(subscribe_packet("c9", 21));
  json::object error = c->next_json();
  EXPECT_EQ(error["error"].as_object()["name"], "BrokerError");
  EXPECT_NE(error["error"].as_object()["message"].as_string().find("limit of 3"), json::string::npos);
  c->send(packet("#unsubscribe", json::value("c1"), 22));
  EXPECT_EQ(c->next_json(), (json::object{{"rid", 22}}));
  c->send(subscribe_packet(std::string(1025, 'n'), 23));
  error = c->next_json();
  EXPECT_NE(error["error"].as_object()["message"].as_string().find("longer than 1024 bytes"), json::string::npos);
  c->send(subscribe_packet(std::string(1024, 'n'), 24));
  EXPECT_EQ(c->next_json(), (json::object{{"rid", 24}})) << "1024 bytes are fine";
}

TEST(RemotedevFake, StopCloses1001) {
  auto server = start_remotedev(remotedev_test_config());
  auto c = handshaken(server->port());
  std::thread stopper([&] { server->stop(); });
  EXPECT_EQ(c->wait_close(), 1001);
  stopper.join();
}

TEST(RemotedevFake, BadConfigurationIsAUsageError) {
  EXPECT_ANY_THROW(start_remotedev(remotedev_test_config(v2, {"no-such-fault"})));
  auto config = remotedev_test_config();
  config.ping_interval = 0ms;
  EXPECT_ANY_THROW(start_remotedev(config));
  config = remotedev_test_config();
  config.handshake_timeout = -1ms;
  EXPECT_ANY_THROW(start_remotedev(config));
  config = remotedev_test_config();
  config.ping_timeout = -5ms;
  EXPECT_ANY_THROW(start_remotedev(config));
  config = remotedev_test_config();
  config.max_message = 0;
  EXPECT_ANY_THROW(start_remotedev(config));
  EXPECT_EQ(default_ping_timeout(v1), 20000ms);
  EXPECT_EQ(default_ping_timeout(v2), 30000ms);
}

}  // namespace
}  // namespace drover::fakes
