// The correct RemoteDev fake after the handshake (fakes/README.md "## remotedev"), both
// SocketCluster versions: #subscribe and #unsubscribe, login, the RemoteDev relays (log,
// log-noid, respond), client publish refused, DISCONNECTED, v1's direct messages.

#include "remotedev_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

TEST(RemotedevFake, SubscribeIsAnsweredWithRidOnlyAndUnsubscribeEndsDelivery) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = handshaken(server->port());
    mon->send(subscribe_packet("log", 7));
    EXPECT_EQ(mon->next_json(), (json::object{{"rid", 7}}));
    mon->send(subscribe_packet("log", 8));
    EXPECT_EQ(mon->next_json(), (json::object{{"rid", 8}})) << "subscribing twice is fine";
    auto a = handshaken(server->port());
    a->send(packet("log", json::value(json::object{{"n", 1}})));
    EXPECT_EQ(mon->next_json(), publication("log", json::object{{"n", 1}})) << "once, not twice";
    EXPECT_TRUE(silent(*mon));
    mon->send(packet("#unsubscribe", json::value("log"), 9));
    EXPECT_EQ(mon->next_json(), (json::object{{"rid", 9}}));
    a->send(packet("log", json::value(json::object{{"n", 2}})));
    EXPECT_TRUE(silent(*mon)) << name_of(protocol);
    mon->send(packet("#unsubscribe", json::value("log"), 10));
    json::object error = mon->next_json();
    EXPECT_EQ(error["rid"], 10);
    EXPECT_EQ(error["error"].as_object()["name"], "BrokerError") << json::serialize(error);
  }
}

TEST(RemotedevFake, SubscribeAnswersDifferByVersionForABareNameOrNoCid) {
  auto s1 = start_remotedev(remotedev_test_config(v1));
  auto c1 = handshaken(s1->port());
  c1->send(packet("#subscribe", json::value("log"), 2));
  EXPECT_EQ(c1->next_json(), (json::object{{"rid", 2}})) << "v1 takes the bare channel name";
  c1->send(packet("#subscribe", json::value(json::object{{"channel", "respond"}})));  // no cid
  c1->send(subscribe_packet("other", 3));  // its answer shows the one before was taken
  EXPECT_EQ(c1->next_json(), (json::object{{"rid", 3}}));
  auto other1 = handshaken(s1->port());
  other1->send(packet("respond", json::value(1)));
  EXPECT_EQ(c1->next_json(), publication("respond", 1)) << "v1 subscribes without a cid too";

  auto s2 = start_remotedev(remotedev_test_config(v2));
  auto c2 = handshaken(s2->port());
  c2->send(packet("#subscribe", json::value("log"), 2));
  json::object error = c2->next_json();
  EXPECT_EQ(error["error"], (json::object{{"message", "Subscribe channel name was malformatted"}, {"name", "InvalidActionError"}}));
  c2->send(packet("#subscribe", json::value(json::object{{"channel", "respond"}})));  // no cid
  c2->send(subscribe_packet("other", 3));
  EXPECT_EQ(c2->next_json(), (json::object{{"rid", 3}}));
  auto other2 = handshaken(s2->port());
  other2->send(packet("respond", json::value(1)));
  EXPECT_TRUE(silent(*c2)) << "@redux-devtools/cli subscribes on request (with a cid) only";
}

TEST(RemotedevFake, LoginAnswersRespondForMasterAndLogForAnythingElse) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto c = handshaken(server->port());
    c->send(packet("login", json::value("master"), 2));
    EXPECT_EQ(c->next_json(), (json::object{{"rid", 2}, {"data", "respond"}}));
    int cid = 3;
    for (const json::value& other : {json::value("monitor"), json::value("Master"), json::value(42), json::value()}) {
      c->send(packet("login", other, cid));
      EXPECT_EQ(c->next_json(), (json::object{{"rid", cid}, {"data", "log"}})) << json::serialize(other);
      ++cid;
    }
    c->send(packet("login", nullptr, cid));
    EXPECT_EQ(c->next_json(), (json::object{{"rid", cid}, {"data", "log"}})) << "no data at all";
  }
}

TEST(RemotedevFake, LogIsPublishedUnchangedToLogSubscribersOnly) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto a = app(server->port());
    json::value message = json::parse(R"({"type":"ACTION","action":{"type":"INC","n":[1,2.5,null,"x"]},)"
                                      R"("payload":"{\"count\":1}","instanceId":"i","nextActionId":2})");
    a->send(packet("log", message));
    EXPECT_EQ(mon->next_json(), publication("log", message)) << name_of(protocol);
    EXPECT_TRUE(silent(*a)) << "the app subscribed to respond only";
    a->send(packet("log", nullptr));
    EXPECT_EQ(mon->next_json(), (json::object{{"event", "#publish"}, {"data", {{"channel", "log"}}}}))
        << "no data: none published";
  }
}

TEST(RemotedevFake, LogNoidIsWrappedWithTheSendersId) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto a = handshaken(server->port());  // not even logged in: relayed anyway
    json::value message = json::object{{"type", "INIT"}, {"payload", "{}"}};
    a->send(packet("log-noid", message));
    EXPECT_EQ(mon->next_json(), publication("log", json::object{{"id", a.id}, {"data", message}})) << name_of(protocol);
  }
}

TEST(RemotedevFake, RespondIsPublishedOnRespond) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto a = app(server->port());
    auto mon = monitor(server->port());
    json::value message = json::object{{"type", "DISPATCH"}, {"payload", {{"type", "JUMP_TO_STATE"}, {"index", 2}}}};
    mon->send(packet("respond", message));
    EXPECT_EQ(a->next_json(), publication("respond", message)) << name_of(protocol);
    EXPECT_TRUE(silent(*mon));
  }
}

TEST(RemotedevFake, PlainEventsGetNoAnswerEvenWithACid) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto a = app(server->port());
    a->send(packet("log", json::value(json::object{{"n", 1}}), 11));
    a->send(packet("log-noid", json::value(json::object{{"n", 2}}), 12));
    a->send(packet("getReport", json::value("x"), 13));
    a->send(packet("whatever", json::value(1), 14));
    mon->send(packet("respond", json::value(json::object{{"n", 3}}), 15));
    EXPECT_EQ(mon->next_json(), publication("log", json::object{{"n", 1}})) << "relayed though it had a cid";
    EXPECT_EQ(mon->next_json(), publication("log", json::object{{"id", a.id}, {"data", {{"n", 2}}}}));
    EXPECT_EQ(a->next_json(), publication("respond", json::object{{"n", 3}}));
    EXPECT_TRUE(silent(*a)) << name_of(protocol) << ": no {\"rid\":...} for a plain event";
    EXPECT_TRUE(silent(*mon, 100ms));
  }
}

TEST(RemotedevFake, ClientPublishIsRefusedAndNotDelivered) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto a = app(server->port());
    a->send(packet("#publish", json::value(json::object{{"channel", "log"}, {"data", {{"n", 1}}}}), 20));
    EXPECT_EQ(a->next_json(),
              (json::object{{"rid", 20},
                            {"error", {{"message", "Client publish feature is disabled"}, {"name", "InvalidActionError"}}}}));
    a->send(packet("#publish", json::value(json::object{{"channel", "log"}, {"data", 2}})));  // no cid: no answer
    EXPECT_TRUE(silent(*mon)) << name_of(protocol) << ": never delivered";
    EXPECT_TRUE(silent(*a, 100ms));
  }
}

TEST(RemotedevFake, AppThatLeavesIsAnnouncedOnLogAndAMonitorOnRespond) {
  for (auto protocol : {v1, v2}) {
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto mon = monitor(server->port());
    auto a = app(server->port());
    std::string app_id = a.id, mon_id = mon.id;
    a.ws.reset();  // TCP closed without a close frame
    EXPECT_EQ(mon->next_json(), publication("log", json::object{{"id", app_id}, {"type", "DISCONNECTED"}})) << name_of(protocol);
    auto a2 = app(server->port());
    mon.ws.reset();
    EXPECT_EQ(a2->next_json(), publication("respond", json::object{{"id", mon_id}, {"type", "DISCONNECTED"}}));
    auto mon2 = monitor(server->port());
    { auto stranger = handshaken(server->port()); }  // never logged in: nothing to announce
    EXPECT_TRUE(silent(*mon2));
    EXPECT_TRUE(silent(*a2, 100ms));
  }
}

TEST(RemotedevFake, V1DirectMessagesReachTheSocketAsItsWatchedEvent) {
  auto server = start_remotedev(remotedev_test_config(v1));
  auto a = app(server->port());
  auto mon = monitor(server->port());
  json::value message = json::object{{"type", "DISPATCH"}};
  mon->send(packet("sc-" + a.id, message));
  EXPECT_EQ(a->next_json(), (json::object{{"event", "respond"}, {"data", message}}));
  EXPECT_TRUE(silent(*mon));
  auto server2 = start_remotedev(remotedev_test_config(v2));
  auto a2 = app(server2->port());
  auto listener = handshaken(server2->port());
  listener->send(subscribe_packet("sc-" + a2.id, 5));
  EXPECT_EQ(listener->next_json(), (json::object{{"rid", 5}}));
  auto mon2 = monitor(server2->port());
  mon2->send(packet("sc-" + a2.id, message));
  EXPECT_EQ(listener->next_json(), publication("sc-" + a2.id, message)) << "published on its channel";
  EXPECT_TRUE(silent(*a2)) << "v2 has no direct messages";
}

}  // namespace
}  // namespace drover::fakes
