#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "fakes/wearable/flags.hpp"
#include "harness/common/error.hpp"
#include "wearable_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

std::unique_ptr<fake_server> with_faults(std::vector<std::string> faults,
                                         std::chrono::milliseconds heartbeat = 10'000ms,
                                         std::chrono::milliseconds identify = 10'000ms) {
  auto config = test_config();
  config.faults = std::move(faults);
  config.heartbeat_interval = heartbeat;
  config.identify_timeout = identify;
  config.late_hello_delay = 500ms;
  return start_wearable(config);
}

TEST(WearableFakeFaults, TableListsEveryFaultOnceWithARule) {
  const auto& table = wearable_faults();
  std::set<std::string> names;
  for (const auto& f : table) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(f.rule.empty()) << f.name;
  }
  for (const char* n : {"no-hello", "late-hello", "hello-bad-interval", "no-ack", "late-ack", "ack-every-other",
                        "ready-before-identify", "reuse-token", "no-identify-timeout", "no-heartbeat-timeout",
                        "wrong-close:4000", "wrong-close:4001", "wrong-close:4002", "wrong-close:4003",
                        "wrong-close:4004", "wrong-close:4005", "wrong-close:1007", "double-identify-accepted",
                        "consumer-submit-accepted", "seq-backwards", "seq-duplicate", "replay-inclusive",
                        "replay-drop", "replay-unordered", "replay-altered", "cross-developer-dispatch",
                        "dispatch-bad-schema", "no-ack-before-identify", "close-on-early-heartbeat", "late-ready",
                        "drop-unknown-type", "no-close-on-shutdown", "early-heartbeat-timeout",
                        "late-heartbeat-timeout", "early-identify-timeout", "late-identify-timeout"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  EXPECT_THROW(with_faults({"wrong-close:1000"}), usage_error);
}

TEST(WearableFakeFaults, NoHelloSendsNothingFirst) {
  auto server = with_faults({});
  test_client c(server->port(), "/?fault=no-hello");
  EXPECT_EQ(c.next(500ms).what, ws_event::kind::timeout);
}

TEST(WearableFakeFaults, LateHelloArrivesLate) {
  auto server = with_faults({"late-hello"});
  test_client c(server->port());
  EXPECT_EQ(c.next(200ms).what, ws_event::kind::timeout);
  EXPECT_EQ(c.next_json()["op"], 2);
}

TEST(WearableFakeFaults, HelloBadIntervalIsAString) {
  auto server = with_faults({"hello-bad-interval"});
  test_client c(server->port());
  EXPECT_TRUE(c.next_json()["d"].as_object()["heartbeat_interval"].is_string());
}

TEST(WearableFakeFaults, AckEveryOtherSkipsHalf) {
  auto server = with_faults({"ack-every-other"});
  test_client c(server->port());
  c.next_json();
  for (int i = 0; i < 4; ++i) c.send(R"({"op":0})");
  EXPECT_EQ(c.next_json()["op"], 1);
  EXPECT_EQ(c.next_json()["op"], 1);
  EXPECT_EQ(c.next(300ms).what, ws_event::kind::timeout);
}

TEST(WearableFakeFaults, NoAckAndLateAck) {
  auto server = with_faults({}, 1000ms);
  test_client none(server->port(), "/?fault=no-ack");
  none.next_json();
  none.send(R"({"op":0})");
  EXPECT_EQ(none.next(250ms).what, ws_event::kind::timeout);
  test_client late(server->port(), "/?fault=late-ack");
  late.next_json();
  late.send(R"({"op":0})");
  EXPECT_EQ(late.next(150ms).what, ws_event::kind::timeout);
  EXPECT_EQ(late.next_json()["op"], 1);
}

TEST(WearableFakeFaults, ReadyBeforeIdentify) {
  auto server = with_faults({"ready-before-identify"});
  test_client c(server->port());
  EXPECT_EQ(c.next_json()["op"], 2);
  EXPECT_EQ(c.next_json()["op"], 4);
}

TEST(WearableFakeFaults, ReuseTokenAcceptsAUsedToken) {
  auto server = with_faults({"reuse-token"});
  { auto first = identified(server->port(), "dev:acme:same", 1); }
  ASSERT_TRUE(no_sessions_within(*server)) << "the first connection is still held";
  auto second = identified(server->port(), "dev:acme:same", 1);
}

TEST(WearableFakeFaults, NoIdentifyTimeoutAndNoHeartbeatTimeoutKeepTheConnection) {
  auto server = with_faults({"no-identify-timeout", "no-heartbeat-timeout"}, 100ms, 100ms);
  test_client c(server->port());
  c.next_json();
  EXPECT_EQ(c.next(600ms).what, ws_event::kind::timeout);
}

TEST(WearableFakeFaults, WrongCloseSends4999WhereTheCodeIsDue) {
  {
    auto quick = with_faults({}, 10'000ms, 200ms);
    test_client c(quick->port(), "/?fault=wrong-close:4000");
    c.next_json();
    EXPECT_EQ(c.wait_close(), 4999);
  }
  auto server = with_faults({});
  auto port = server->port();
  {
    test_client c(port, "/?fault=wrong-close:1007");
    c.next_json();
    c.send("nope");
    EXPECT_EQ(c.wait_close(), 4999);
  }
  {
    test_client c(port, "/?fault=wrong-close:4001");  // only 4001 is wrong: 1007 stays right
    c.next_json();
    c.send("nope");
    EXPECT_EQ(c.wait_close(), 1007);
  }
}

TEST(WearableFakeFaults, DoubleIdentifyAccepted) {
  auto server = with_faults({"double-identify-accepted"});
  auto c = identified(server->port(), "user:a:u:1", 0);
  c->send(identify_frame("user:a:u:2", 0));
  EXPECT_EQ(c->next_json()["op"], 4);
}

TEST(WearableFakeFaults, ConsumerSubmitAcceptedIsIgnored) {
  auto server = with_faults({"consumer-submit-accepted"});
  auto c = identified(server->port(), "dev:a:1", 1);
  c->send(submit_frame(1));
  EXPECT_EQ(c->next(300ms).what, ws_event::kind::timeout);
}

std::vector<json::object> stream_to(const std::string& consumer_fault, int n) {
  auto server = with_faults({});
  auto consumer = identified(server->port(), "dev:acme:1", 1, "/?fault=" + consumer_fault);
  auto plain = identified(server->port(), "dev:other:1", 1);
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  for (int i = 0; i < n; ++i) producer->send(submit_frame(i));
  return dispatches(*consumer, n);
}

TEST(WearableFakeFaults, SeqBackwardsAndDuplicate) {
  auto backwards = stream_to("seq-backwards", 3);
  ASSERT_EQ(backwards.size(), 3u);
  EXPECT_LT(seq_of(backwards[1]), seq_of(backwards[0]));
  auto duplicate = stream_to("seq-duplicate", 3);
  ASSERT_EQ(duplicate.size(), 3u);
  EXPECT_EQ(seq_of(duplicate[1]), seq_of(duplicate[0]));
}

TEST(WearableFakeFaults, DispatchBadSchemaLacksUid) {
  auto got = stream_to("dispatch-bad-schema", 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].contains("uid"));
}

TEST(WearableFakeFaults, FaultOnOneConsumerLeavesOthersCorrect) {
  auto server = with_faults({});
  auto faulty = identified(server->port(), "dev:acme:1", 1, "/?fault=seq-duplicate");
  auto config_limit_other = identified(server->port(), "dev:beta:1", 1);
  auto producer = identified(server->port(), "user:beta:bo:1", 0);
  for (int i = 0; i < 3; ++i) producer->send(submit_frame(i));
  auto got = dispatches(*config_limit_other, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_LT(seq_of(got[0]), seq_of(got[1]));
}

TEST(WearableFakeFaults, CrossDeveloperDispatch) {
  auto server = with_faults({});
  auto spy = identified(server->port(), "dev:acme:1", 1, "/?fault=cross-developer-dispatch");
  auto honest = identified(server->port(), "dev:initech:1", 1, "/?fault=");
  auto gina = identified(server->port(), "user:globex:gina:1", 0);
  gina->send(submit_frame(1));
  EXPECT_EQ(spy->next_json()["uid"], "gina");
  EXPECT_EQ(honest->next(300ms).what, ws_event::kind::timeout);
}

struct replayed {
  std::vector<json::object> live, got;
};

replayed replay_with(const std::string& fault) {
  auto server = with_faults({});
  auto consumer = identified(server->port(), "dev:acme:1", 1, "/?fault=" + fault);
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  for (int i = 0; i < 5; ++i) producer->send(submit_frame(10 + i));
  replayed r;
  r.live = dispatches(*consumer, 5);
  if (r.live.size() != 5) return r;
  consumer->send(R"({"op":7,"d":{"after":)" + std::to_string(seq_of(r.live[0])) + R"(,"before":)" +
                 std::to_string(seq_of(r.live[4])) + "}}");
  for (;;) {
    auto e = consumer->next(300ms);
    if (e.what != ws_event::kind::message) break;
    r.got.push_back(json::parse(e.data).as_object());
  }
  return r;
}

TEST(WearableFakeFaults, ReplayFaultsBreakTheirRule) {
  auto inclusive = replay_with("replay-inclusive");
  ASSERT_EQ(inclusive.got.size(), 5u);
  EXPECT_EQ(inclusive.got.front(), inclusive.live.front());
  auto drop = replay_with("replay-drop");
  EXPECT_EQ(drop.got.size(), 2u);
  auto unordered = replay_with("replay-unordered");
  ASSERT_EQ(unordered.got.size(), 3u);
  EXPECT_GT(seq_of(unordered.got[0]), seq_of(unordered.got[1]));
  auto altered = replay_with("replay-altered");
  ASSERT_EQ(altered.got.size(), 3u);
  EXPECT_EQ(seq_of(altered.got[0]), seq_of(altered.live[1]));
  EXPECT_NE(altered.got[0], altered.live[1]);
  EXPECT_EQ(altered.got[1], altered.live[2]);
}

}  // namespace
}  // namespace drover::fakes
