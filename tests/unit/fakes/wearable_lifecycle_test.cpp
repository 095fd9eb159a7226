#include <thread>

#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "wearable_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

std::unique_ptr<fake_server> short_timers(std::chrono::milliseconds heartbeat, std::chrono::milliseconds identify) {
  auto config = test_config();
  config.heartbeat_interval = heartbeat;
  config.identify_timeout = identify;
  return start_wearable(config);
}

TEST(WearableFake, HelloComesFirstWithNumericInterval) {
  auto server = start_wearable(test_config());
  test_client c(server->port());
  auto hello = c.next_json();
  EXPECT_EQ(hello["op"], 2);
  EXPECT_EQ(hello["d"].as_object()["heartbeat_interval"], 10000);
}

TEST(WearableFake, IdentifyGetsReadyForProducerAndConsumer) {
  auto server = start_wearable(test_config());
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  auto consumer = identified(server->port(), "dev:acme:1", 1);
}

TEST(WearableFake, EveryHeartbeatGetsOneAckEvenBeforeIdentify) {
  auto server = start_wearable(test_config());
  test_client c(server->port());
  c.next_json();
  for (int i = 0; i < 3; ++i) c.send(R"({"op":0})");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.next_json()["op"], 1);
  EXPECT_EQ(c.next(300ms).what, ws_event::kind::timeout);
}

TEST(WearableFake, NoIdentifyCloses4000) {
  auto server = short_timers(2000ms, 300ms);
  test_client c(server->port());
  c.next_json();
  c.send(R"({"op":0})");  // heartbeats alone do not count as IDENTIFY
  EXPECT_EQ(c.wait_close(), 4000);
}

TEST(WearableFake, NoHeartbeatCloses4005) {
  auto server = short_timers(1000ms, 10'000ms);
  auto c = identified(server->port(), "dev:acme:1", 1);
  EXPECT_EQ(c->wait_close(), 4005);
}

TEST(WearableFake, RegularHeartbeatsKeepTheConnection) {
  // Beats 200 ms apart against a 3 s deadline: the point is that time passes between beats, and
  // a loaded machine oversleeping by a second still keeps within it.
  auto server = short_timers(2000ms, 10'000ms);
  auto c = identified(server->port(), "dev:acme:1", 1);
  for (int i = 0; i < 6; ++i) {
    c->send(R"({"op":0})");
    EXPECT_EQ(c->next_json()["op"], 1);
    std::this_thread::sleep_for(200ms);
  }
}

void expect_identify_closes(std::uint16_t port, const std::string& frame, int code) {
  test_client c(port);
  c.next_json();
  c.send(frame);
  EXPECT_EQ(c.wait_close(), code) << frame;
}

TEST(WearableFake, BadUnknownOrMistypedTokenCloses4001) {
  auto server = start_wearable(test_config());
  expect_identify_closes(server->port(), identify_frame("nonsense", 0), 4001);
  expect_identify_closes(server->port(), identify_frame("dev:acme:1", 0), 4001);        // consumer token as producer
  expect_identify_closes(server->port(), identify_frame("user:acme:bob:1", 1), 4001);   // producer token as consumer
  expect_identify_closes(server->port(), R"({"op":3,"d":{"type":0}})", 4001);
  expect_identify_closes(server->port(), R"({"op":3,"d":{"token":"user:a:b:1","type":2}})", 4001);
}

TEST(WearableFake, TokensAreSingleUse) {
  auto server = start_wearable(test_config());
  { auto first = identified(server->port(), "user:acme:alice:once", 0); }
  expect_identify_closes(server->port(), identify_frame("user:acme:alice:once", 0), 4001);
}

TEST(WearableFake, TokenFileMapsTokensToRoles) {
  auto config = test_config();
  config.tokens_json = R"({"P1":{"role":"producer","developer":"acme","user":"u1"},
                           "C1":{"role":"consumer","developer":"acme"}})";
  auto server = start_wearable(config);
  auto consumer = identified(server->port(), "C1", 1);
  auto producer = identified(server->port(), "P1", 0);
  producer->send(submit_frame(70));
  auto d = consumer->next_json();
  EXPECT_EQ(d["uid"], "u1");
  expect_identify_closes(server->port(), identify_frame("dev:acme:1", 1), 4001);  // not in the file
}

TEST(WearableFake, BadTokenFileIsAUsageError) {
  auto config = test_config();
  config.tokens_json = R"({"P1":{"role":"boss","developer":"acme"}})";
  EXPECT_THROW(start_wearable(config), usage_error);
  config.tokens_json = "";
  config.tokens_file = "/nonexistent/tokens.json";
  EXPECT_THROW(start_wearable(config), usage_error);
}

TEST(WearableFake, SecondIdentifyCloses4003) {
  auto server = start_wearable(test_config());
  auto c = identified(server->port(), "user:acme:alice:1", 0);
  c->send(identify_frame("user:acme:alice:2", 0));
  EXPECT_EQ(c->wait_close(), 4003);
}

void expect_ready_then_close(std::uint16_t port, const std::string& token, int type, const std::string& frame,
                             int code) {
  auto c = identified(port, token, type);
  c->send(frame);
  EXPECT_EQ(c->wait_close(), code) << frame;
}

TEST(WearableFake, OpcodesTheRoleMayNotSendClose4004) {
  auto server = start_wearable(test_config());
  auto port = server->port();
  expect_ready_then_close(port, "dev:a:1", 1, submit_frame(1), 4004);
  expect_ready_then_close(port, "user:a:u:1", 0, R"({"op":7,"d":{"after":0}})", 4004);
  expect_ready_then_close(port, "user:a:u:2", 0, R"({"op":5,"d":{}})", 4004);
  expect_ready_then_close(port, "user:a:u:3", 0, R"({"op":1})", 4004);
  expect_ready_then_close(port, "user:a:u:4", 0, R"({"op":42})", 4004);
  expect_ready_then_close(port, "user:a:u:5", 0, R"({"op":2.5})", 4004);
  expect_identify_closes(port, submit_frame(1), 4004);  // SUBMIT before READY
}

TEST(WearableFake, NotJsonOrNoNumericOpCloses1007) {
  auto server = start_wearable(test_config());
  expect_identify_closes(server->port(), "not json", 1007);
  expect_identify_closes(server->port(), R"({"d":{}})", 1007);
  expect_identify_closes(server->port(), R"({"op":"3"})", 1007);
  expect_identify_closes(server->port(), "[0]", 1007);
}

TEST(WearableFake, ConsumerLimitCloses4002TheNewest) {
  auto server = start_wearable(test_config());
  auto older = identified(server->port(), "dev:acme:1", 1);
  test_client newer(server->port());
  newer.next_json();
  newer.send(identify_frame("dev:acme:2", 1));
  EXPECT_EQ(newer.wait_close(), 4002);
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  producer->send(submit_frame(1));
  EXPECT_EQ(older->next_json()["op"], 5);  // the older one is untouched
  auto other_dev = identified(server->port(), "dev:other:1", 1);  // the limit is per developer
}

TEST(WearableFake, ClosedConsumerFreesItsSlot) {
  auto server = start_wearable(test_config());
  { auto first = identified(server->port(), "dev:acme:1", 1); }
  ASSERT_TRUE(no_sessions_within(*server)) << "the first connection is still held";
  auto second = identified(server->port(), "dev:acme:2", 1);
}

TEST(WearableFake, StopCloses1001) {
  auto server = start_wearable(test_config());
  auto c = identified(server->port(), "dev:acme:1", 1);
  std::thread stopper([&] { server->stop(); });
  EXPECT_EQ(c->wait_close(), 1001);
  stopper.join();
}

TEST(WearableFake, JunkAndHugeFramesLeaveOthersServed) {
  auto server = start_wearable(test_config());
  auto consumer = identified(server->port(), "dev:acme:1", 1);
  EXPECT_TRUE(raw_bytes_get_closed(server->port(), std::string(20000, 'j'), 3s));
  {
    // Just over the 1 MiB limit: small enough for the socket buffers to take whole, so our
    // write completes and the server's close frame is read, not lost to a reset mid-write.
    test_client big(server->port());
    big.next_json();
    big.send(std::string((1u << 20) + 1, ' '));
    auto e = big.next(10s);
    ASSERT_EQ(e.what, ws_event::kind::closed) << "a message over the limit must be closed, got " << e.error;
    EXPECT_EQ(e.close_code, 1009);
  }
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  producer->send(submit_frame(5));
  EXPECT_EQ(consumer->next_json()["op"], 5);
}

}  // namespace
}  // namespace drover::fakes
