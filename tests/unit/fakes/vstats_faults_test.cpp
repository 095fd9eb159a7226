// Each vStats fault breaks its one rule, per connection (?fault=) or per run (--fault).
#include <gtest/gtest.h>

#include "fakes/common/faults.hpp"
#include "vstats_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using clock = std::chrono::steady_clock;

std::unique_ptr<fake_server> start(std::vector<std::string> faults = {}, std::chrono::milliseconds report = 10'000ms) {
  vstats_config config = vstats_test_config();
  config.faults = std::move(faults);
  config.report_interval = report;
  return start_vstats(config);
}

TEST(VstatsFaults, TableNamesEveryFaultOnce) {
  std::set<std::string> names;
  for (const auto& f : vstats_faults()) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  for (const char* required : {"accept-bad-token", "slow-bad-token-close", "no-ping", "metrics-wrong-server",
                               "metrics-not-forwarded", "envelope-missing-timestamp", "status-never-offline",
                               "no-server-added"})
    EXPECT_TRUE(names.count(required)) << required;
}

TEST(VstatsFaults, AcceptBadTokenKeepsTheAgentAndForwardsIt) {
  auto server = start();
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("bogus", "&fault=accept-bad-token"));
  EXPECT_EQ(agent.next(300ms).what, ws_event::kind::timeout) << "not closed";
  agent.send(report_frame(1));
  auto m = next_of_type(dash, "metrics");
  EXPECT_EQ(m["data"].as_object()["server_id"], "bogus");
}

TEST(VstatsFaults, SlowBadTokenCloseTakesThreeSeconds) {
  vstats_config config = vstats_test_config();
  config.slow_close_delay = 600ms;  // the fake's 3 s, shortened for the test
  config.faults = {"slow-bad-token-close"};
  auto server = start_vstats(config);
  test_client agent(server->port(), agent_target("bogus"));
  auto t0 = clock::now();
  EXPECT_EQ(agent.wait_close(3000ms), 1008);
  EXPECT_GE(clock::now() - t0, 500ms);
  EXPECT_EQ(vstats_config{}.slow_close_delay, 3000ms);
}

TEST(VstatsFaults, NoPingOnlyForThatConnection) {
  vstats_config config = vstats_test_config();
  config.ping_interval = 50ms;
  auto server = start_vstats(config);
  test_client quiet(server->port(), "/ws?fault=no-ping");
  test_client normal(server->port(), "/ws");
  auto until = clock::now() + 300ms;
  while (clock::now() < until) {
    quiet.next(10ms);
    normal.next(10ms);
  }
  EXPECT_EQ(quiet.pings_received(), 0);
  EXPECT_GE(normal.pings_received(), 3);
}

TEST(VstatsFaults, MetricsFaultsChangeWhatThatDashboardGets) {
  auto server = start();
  test_client wrong(server->port(), "/ws?fault=metrics-wrong-server");
  test_client none(server->port(), "/ws?fault=metrics-not-forwarded");
  test_client twice(server->port(), "/ws?fault=metrics-duplicate");
  test_client plain(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:m"));
  agent.send(report_frame(1));
  agent.send(report_frame(2));
  EXPECT_EQ(next_of_type(wrong, "metrics")["data"].as_object()["server_id"], "m~other");
  EXPECT_TRUE(next_of_type(none, "metrics", 300ms).empty());
  std::vector<std::int64_t> rx;
  for (int i = 0; i < 3; ++i)
    rx.push_back(next_of_type(twice, "metrics")["data"].as_object()["metrics"].as_object()["network"].as_object()["rx"].as_int64());
  EXPECT_EQ(rx, (std::vector<std::int64_t>{1001, 1002, 1002}));
  EXPECT_EQ(next_of_type(plain, "metrics")["data"].as_object()["server_id"], "m");
}

TEST(VstatsFaults, MetricsMangledReportsUsageAsAFraction) {
  auto server = start();
  test_client mangled(server->port(), "/ws?fault=metrics-mangled");
  test_client agent(server->port(), agent_target("agent:f"));
  agent.send(report_frame(1));
  auto m = next_of_type(mangled, "metrics");
  EXPECT_DOUBLE_EQ(m["data"].as_object()["metrics"].as_object()["cpu"].as_object()["usage"].as_double(), 0.125);
}

TEST(VstatsFaults, EnvelopeMissingTimestamp) {
  auto server = start({"envelope-missing-timestamp"});
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:e"));
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(dash.next_json().contains("timestamp"));
}

TEST(VstatsFaults, StatusFaults) {
  auto server = start({}, 100ms);
  test_client never_off(server->port(), "/ws?fault=status-never-offline");
  test_client never_on(server->port(), "/ws?fault=no-online-status,no-server-added");
  test_client agent(server->port(), agent_target("agent:s"));
  EXPECT_EQ(next_of_type(never_off, "status")["data"].as_object()["online"], true);
  auto first = never_on.next_json(1000ms);
  EXPECT_EQ(type_of(first), "status") << "no server_added, no online: the offline status comes first";
  EXPECT_EQ(first["data"].as_object()["online"], false);
  EXPECT_TRUE(next_of_type(never_off, "status", 300ms).empty());
}

TEST(VstatsFaults, StatusOfflineEarlyAfterTwoMissedReports) {
  auto server = start({}, 100ms);
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:early", "&fault=status-offline-early"));
  ASSERT_FALSE(next_of_type(dash, "status").empty());
  auto t0 = clock::now();
  ASSERT_FALSE(next_of_type(dash, "status", 1000ms).empty());
  EXPECT_LT(clock::now() - t0, 270ms);
}

TEST(VstatsFaults, HeartbeatIgnoredAndCloseOnHeartbeat) {
  auto server = start({}, 100ms);
  test_client dash(server->port(), "/ws");
  test_client ignored(server->port(), agent_target("agent:hb", "&fault=heartbeat-ignored"));
  ASSERT_FALSE(next_of_type(dash, "status").empty());
  auto t0 = clock::now();
  json::object offline;
  while (offline.empty() && clock::now() - t0 < 1000ms) {
    ignored.send(heartbeat_frame());
    offline = next_of_type(dash, "status", 50ms);
  }
  ASSERT_FALSE(offline.empty()) << "heartbeats did not keep it online";
  EXPECT_EQ(offline["data"].as_object()["online"], false);
  test_client closing(server->port(), agent_target("agent:hb2", "&fault=close-on-heartbeat"));
  closing.send(heartbeat_frame());
  EXPECT_EQ(closing.wait_close(), 1011);
}

TEST(VstatsFaults, NoServerRemoved) {
  auto server = start();
  test_client dash(server->port(), "/ws?fault=no-server-removed");
  agent_closes_normally(server->port(), "agent:gone");
  EXPECT_TRUE(next_of_type(dash, "server_removed", 300ms).empty());
}

TEST(VstatsFaults, UnknownFaultInTheQueryIs400) {
  auto server = start();
  test_client c(server->port(), "/ws?fault=nope");
  EXPECT_FALSE(c.handshake_ok());
  EXPECT_EQ(c.http_status(), 400u);
}

}  // namespace
}  // namespace drover::fakes
