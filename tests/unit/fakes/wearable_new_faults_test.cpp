// The faults that let cases 1.4, 1.5, 2.3, 3.4, 6.1 and 6.13 of the wearable suite fail: each
// breaks its one rule and leaves the rest of the connection correct. Timing bounds are wide
// (the fault's time against the correct one, with the gap between them as margin) so that a
// loaded machine cannot flip them.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "wearable_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

std::unique_ptr<fake_server> with(std::chrono::milliseconds heartbeat, std::chrono::milliseconds identify) {
  auto config = test_config();
  config.heartbeat_interval = heartbeat;
  config.identify_timeout = identify;
  config.consumer_limit = 2;
  return start_wearable(config);
}

std::chrono::milliseconds since(clock_type::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
}

TEST(WearableFakeNewFaults, NoAckBeforeIdentifyAnswersOnlyAfterIdentify) {
  auto server = with(10'000ms, 10'000ms);
  test_client c(server->port(), "/?fault=no-ack-before-identify");
  EXPECT_EQ(c.next_json()["op"], 2);
  c.send(R"({"op":0})");
  EXPECT_EQ(c.next(300ms).what, ws_event::kind::timeout);
  c.send(identify_frame("user:a:u:1", 0));
  EXPECT_EQ(c.next_json()["op"], 4);
  c.send(R"({"op":0})");
  EXPECT_EQ(c.next_json()["op"], 1);
}

TEST(WearableFakeNewFaults, CloseOnEarlyHeartbeatCloses4004BeforeIdentifyOnly) {
  auto server = with(10'000ms, 10'000ms);
  test_client early(server->port(), "/?fault=close-on-early-heartbeat");
  early.next_json();
  early.send(R"({"op":0})");
  EXPECT_EQ(early.wait_close(), 4004);
  auto identified_first = identified(server->port(), "user:a:u:2", 0, "/?fault=close-on-early-heartbeat");
  identified_first->send(R"({"op":0})");
  EXPECT_EQ(identified_first->next_json()["op"], 1);
}

TEST(WearableFakeNewFaults, LateReadyComesThreeQuartersOfAnIntervalLate) {
  auto server = with(800ms, 10'000ms);
  test_client c(server->port(), "/?fault=late-ready");
  c.next_json();
  auto sent = clock_type::now();
  c.send(identify_frame("dev:a:1", 1));
  EXPECT_EQ(c.next_json(3000ms)["op"], 4);
  EXPECT_GE(since(sent), 550ms);  // 600 ms by the fault; a correct READY comes at once
}

TEST(WearableFakeNewFaults, DropUnknownTypeLosesOnlyUnknownTypes) {
  auto server = with(10'000ms, 10'000ms);
  auto consumer = identified(server->port(), "dev:acme:1", 1, "/?fault=drop-unknown-type");
  auto honest = identified(server->port(), "dev:acme:2", 1);
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  producer->send(submit_frame(1, "DROVER_PROBE"));
  producer->send(submit_frame(2, "HEART_RATE"));
  auto first = consumer->next_json();
  EXPECT_EQ(first["t"], "HEART_RATE") << json::serialize(first);
  EXPECT_EQ(honest->next_json()["t"], "DROVER_PROBE");
}

TEST(WearableFakeNewFaults, NoCloseOnShutdownDropsWithoutCloseFrame) {
  auto server = with(10'000ms, 10'000ms);
  auto c = identified(server->port(), "user:a:u:3", 0, "/?fault=no-close-on-shutdown");
  std::thread stopper([&] { server->stop(); });
  auto e = c->next(3000ms);
  stopper.join();
  EXPECT_NE(e.what, ws_event::kind::closed) << "close code " << e.close_code;
  EXPECT_NE(e.what, ws_event::kind::timeout);
}

// interval 1000 ms: the correct 4005 comes at 1500 ms, the early fault's at 700, the late one's at 2500.
TEST(WearableFakeNewFaults, HeartbeatTimeoutEarlyAndLate) {
  auto server = with(1000ms, 60'000ms);
  test_client early(server->port(), "/?fault=early-heartbeat-timeout");
  test_client late(server->port(), "/?fault=late-heartbeat-timeout");
  auto start = clock_type::now();
  early.next_json();
  late.next_json();
  EXPECT_EQ(early.wait_close(3000ms), 4005);
  EXPECT_LT(since(start), 1300ms);
  EXPECT_EQ(late.next(2000ms - since(start)).what, ws_event::kind::timeout) << "closed before 2 intervals";
  EXPECT_EQ(late.wait_close(3000ms), 4005);
}

// identify timeout 1000 ms: the early fault closes at 500, the late one at 1600.
TEST(WearableFakeNewFaults, IdentifyTimeoutEarlyAndLate) {
  auto server = with(60'000ms, 1000ms);
  test_client early(server->port(), "/?fault=early-identify-timeout");
  test_client late(server->port(), "/?fault=late-identify-timeout");
  auto start = clock_type::now();
  early.next_json();
  late.next_json();
  EXPECT_EQ(early.wait_close(3000ms), 4000);
  EXPECT_LT(since(start), 900ms);
  EXPECT_EQ(late.next(1300ms - since(start)).what, ws_event::kind::timeout) << "closed before 1.3 x the timeout";
  EXPECT_EQ(late.wait_close(3000ms), 4000);
}

}  // namespace
}  // namespace drover::fakes
