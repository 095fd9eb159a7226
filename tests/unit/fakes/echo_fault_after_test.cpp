// --fault-after: the run's faults start a delay after the fake started, also on connections
// opened before. slow-ack holds every answer 500 ms, so "late" is a lower bound that no load
// can break; "prompt" only means under those 500 ms.
#include <gtest/gtest.h>

#include <thread>

#include "fakes/common/fault_schedule.hpp"
#include "fakes/echo/echo_server.hpp"
#include "test_client.hpp"

namespace drover::fakes {
namespace {

using test::test_client;
using test::ws_event;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

TEST(FaultSchedule, ActiveFromStartPlusDelayOn) {
  const auto started = steady::now();
  fault_schedule later(3000ms, started);
  EXPECT_FALSE(later.active(started));
  EXPECT_FALSE(later.active(started + 2999ms));
  EXPECT_TRUE(later.active(started + 3000ms));
  EXPECT_TRUE(later.active(started + 1h));
  EXPECT_TRUE(fault_schedule().active(started));
  EXPECT_TRUE(fault_schedule(0ms, started).active(started));
}

// The time from sending {"id":N} to its ack.
steady::duration ack_time(test_client& c, int id) {
  const auto sent = steady::now();
  c.send(R"({"id":)" + std::to_string(id) + "}");
  boost::json::object ack = c.next_json(5000ms);
  EXPECT_EQ(ack["id"], id);
  return steady::now() - sent;
}

TEST(EchoFaultAfter, SlowAckStartsAfterTheDelayOnAnOpenConnection) {
  const auto before_start = steady::now();
  echo_config config;
  config.listen.threads = 1;
  config.faults = {"slow-ack"};
  config.fault_after = 1500ms;
  auto server = start_echo(config);
  const auto after_start = steady::now();  // the fault starts between these two + 1500 ms
  test_client c(server->port());
  ASSERT_TRUE(c.handshake_ok());
  const auto first = ack_time(c, 1);
  // Only meaningful when the answer came before the fault could have started.
  if (steady::now() < before_start + 1500ms) {
    EXPECT_LT(first, 500ms);
  }
  std::this_thread::sleep_until(after_start + 1500ms);
  EXPECT_GE(ack_time(c, 2), 500ms);
  EXPECT_GE(ack_time(c, 3), 500ms);
}

TEST(EchoFaultAfter, PerConnectionFaultsAreNotDelayed) {
  echo_config config;
  config.listen.threads = 1;
  config.fault_after = 60s;
  config.faults = {"slow-ack"};
  auto server = start_echo(config);
  test_client asked(server->port(), "/?fault=bad-json");
  asked.send(R"({"id":1})");
  EXPECT_EQ(asked.next().data, "{not json");
  test_client plain(server->port());
  EXPECT_LT(ack_time(plain, 7), 500ms);
}

TEST(EchoFaultAfter, UpgradeFaultsApplyToConnectionsOpenedAfterTheDelay) {
  echo_config config;
  config.listen.threads = 1;
  config.faults = {"reject-401"};
  config.fault_after = 60s;
  auto server = start_echo(config);
  test_client early(server->port());
  EXPECT_TRUE(early.handshake_ok());
  config.fault_after = 0ms;
  auto at_once = start_echo(config);
  test_client late(at_once->port());
  EXPECT_FALSE(late.handshake_ok());
  EXPECT_EQ(late.http_status(), 401u);
}

}  // namespace
}  // namespace drover::fakes
