// The vStats fake as documented (docs/protocols/vstats.md): dashboards, agents, tokens, status
// transitions, server_added/removed, pings.
#include <gtest/gtest.h>

#include "fakes/common/faults.hpp"
#include "vstats_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using clock = std::chrono::steady_clock;

TEST(VstatsFake, DashboardSeesAddedOnlineThenMetricsOfTheAgent) {
  auto server = start_vstats(vstats_test_config());
  test_client dash(server->port(), "/ws");
  ASSERT_TRUE(dash.handshake_ok());
  test_client agent(server->port(), agent_target("agent:web-1"));
  ASSERT_TRUE(agent.handshake_ok());

  auto added = dash.next_json();
  EXPECT_EQ(type_of(added), "server_added");
  EXPECT_EQ(added["data"].as_object()["id"], "web-1");
  EXPECT_EQ(added["data"].as_object()["name"], "web-1");
  EXPECT_TRUE(added["timestamp"].is_string());
  auto online = dash.next_json();
  EXPECT_EQ(type_of(online), "status");
  EXPECT_EQ(online["data"].as_object()["server_id"], "web-1");
  EXPECT_EQ(online["data"].as_object()["online"], true);

  agent.send(report_frame(7));
  auto m = dash.next_json();
  ASSERT_EQ(type_of(m), "metrics") << json::serialize(m);
  auto& data = m["data"].as_object();
  EXPECT_EQ(data["server_id"], "web-1");
  auto& metrics = data["metrics"].as_object();
  EXPECT_EQ(metrics["cpu"].as_object()["usage"], 12.5);
  EXPECT_EQ(metrics["memory"].as_object()["used"], 4000);
  EXPECT_EQ(metrics["network"].as_object()["rx"], 1007);
  EXPECT_EQ(metrics["network"].as_object()["tx"], 2007);
  EXPECT_EQ(metrics["disks"].as_array().size(), 1u);
  EXPECT_TRUE(m["timestamp"].is_string());
}

TEST(VstatsFake, EveryDashboardGetsEveryReportInOrder) {
  auto server = start_vstats(vstats_test_config());
  test_client d1(server->port(), "/ws"), d2(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:db-1"));
  // The agent's server_added proves both dashboards are registered before the first report
  // (a dashboard's 101 can reach it before the fake has registered it).
  for (auto* d : {&d1, &d2}) ASSERT_FALSE(next_of_type(*d, "server_added").empty());
  for (int i = 1; i <= 20; ++i) agent.send(report_frame(i));
  for (auto* d : {&d1, &d2}) {
    for (int i = 1; i <= 20; ++i) {
      auto m = next_of_type(*d, "metrics");
      ASSERT_FALSE(m.empty()) << "report " << i;
      EXPECT_EQ(m["data"].as_object()["metrics"].as_object()["network"].as_object()["rx"], 1000 + i);
    }
  }
}

// §8.3 from the client's side: once a dashboard holds its 101, it is registered. The fake
// registered dashboards on their opening, which runs after the 101 is written: an agent that
// connected at once (on the other worker) could be announced before the dashboard joined, and
// its server_added never came (seen under ThreadSanitizer's slowdown). A race, so many rounds.
TEST(VstatsFake, ADashboardHoldingIts101GetsTheNextAgentsServerAdded) {
  auto server = start_vstats(vstats_test_config());
  for (int round = 0; round < 40; ++round) {
    test_client dash(server->port(), "/ws");
    ASSERT_TRUE(dash.handshake_ok());
    std::string id = "round-" + std::to_string(round);
    test_client agent(server->port(), agent_target("agent:" + id));
    ASSERT_TRUE(agent.handshake_ok());
    auto added = next_of_type(dash, "server_added");
    ASSERT_FALSE(added.empty()) << "round " << round << ": the dashboard missed " << id << "'s server_added";
    EXPECT_EQ(added["data"].as_object()["id"], json::value(id));
  }
}

TEST(VstatsFake, BadOrMissingTokenIsClosed1008AtOnce) {
  vstats_config config = vstats_test_config();
  config.tokens_json = R"({"good": {"server_id": "s1", "name": "one", "location": "EU"}})";
  auto server = start_vstats(config);
  for (std::string target : {agent_target("agent:self-describing-is-off"), agent_target(""), std::string("/ws/agent")}) {
    test_client agent(server->port(), target);
    ASSERT_TRUE(agent.handshake_ok()) << target;
    auto start = clock::now();
    EXPECT_EQ(agent.wait_close(2000ms), 1008) << target;
    EXPECT_LT(clock::now() - start, 500ms) << target;
  }
  test_client dash(server->port(), "/ws");
  test_client good(server->port(), agent_target("good"));
  auto added = next_of_type(dash, "server_added");
  EXPECT_EQ(added["data"].as_object()["id"], "s1");
  EXPECT_EQ(added["data"].as_object()["name"], "one");
  EXPECT_EQ(added["data"].as_object()["location"], "EU");
  EXPECT_EQ(good.next(200ms).what, ws_event::kind::timeout) << "a good token stays connected";
}

TEST(VstatsFake, UnknownPathIs404) {
  auto server = start_vstats(vstats_test_config());
  test_client c(server->port(), "/other");
  EXPECT_FALSE(c.handshake_ok());
  EXPECT_EQ(c.http_status(), 404u);
}

TEST(VstatsFake, OfflineAfterThreeMissedReportsAndOnlineAgainOnReport) {
  vstats_config config = vstats_test_config();
  config.report_interval = 100ms;
  auto server = start_vstats(config);
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:quiet"));
  ASSERT_FALSE(next_of_type(dash, "status").empty());
  agent.send(report_frame(1));
  ASSERT_FALSE(next_of_type(dash, "metrics").empty());
  auto last = clock::now();
  auto offline = next_of_type(dash, "status", 2000ms);
  auto after = clock::now() - last;
  ASSERT_FALSE(offline.empty());
  EXPECT_EQ(offline["data"].as_object()["online"], false);
  EXPECT_GE(after, 280ms);
  EXPECT_LE(after, 600ms);
  agent.send(heartbeat_frame());
  auto online = next_of_type(dash, "status", 1000ms);
  ASSERT_FALSE(online.empty());
  EXPECT_EQ(online["data"].as_object()["online"], true);
}

TEST(VstatsFake, HeartbeatsKeepTheServerOnline) {
  vstats_config config = vstats_test_config();
  config.report_interval = 100ms;
  auto server = start_vstats(config);
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:beating"));
  ASSERT_FALSE(next_of_type(dash, "status").empty());
  for (int i = 0; i < 8; ++i) {
    agent.send(heartbeat_frame());
    EXPECT_TRUE(next_of_type(dash, "status", 80ms).empty()) << "no status while heartbeating (beat " << i << ")";
  }
}

TEST(VstatsFake, NormalCloseRemovesTheServerOtherEndsDoNot) {
  auto server = start_vstats(vstats_test_config());
  test_client dash(server->port(), "/ws");
  agent_closes_normally(server->port(), "agent:leaving", report_frame(1));
  EXPECT_EQ(type_of(dash.next_json()), "server_added");
  EXPECT_EQ(type_of(dash.next_json()), "status");
  EXPECT_EQ(type_of(dash.next_json()), "metrics");
  auto removed = dash.next_json();
  EXPECT_EQ(type_of(removed), "server_removed");
  EXPECT_EQ(removed["data"].as_object()["id"], "leaving");
  {
    test_client dropped(server->port(), agent_target("agent:dropping"));
    ASSERT_FALSE(next_of_type(dash, "status").empty());
  }  // TCP closed without a close frame
  EXPECT_TRUE(next_of_type(dash, "server_removed", 300ms).empty());
  EXPECT_EQ(server->live_sessions(), 1u);
}

TEST(VstatsFake, PingsEveryIntervalAndKeepsAPongingPeer) {
  vstats_config config = vstats_test_config();
  config.ping_interval = 100ms;
  auto server = start_vstats(config);
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:pinged"));
  auto until = clock::now() + 550ms;
  while (clock::now() < until) {
    dash.next(20ms);  // reading is what answers the pings
    agent.next(20ms);
  }
  EXPECT_GE(dash.pings_received(), 4);
  EXPECT_LE(dash.pings_received(), 6);
  EXPECT_GE(agent.pings_received(), 4);
  EXPECT_EQ(dash.next(50ms).what, ws_event::kind::timeout) << "still open";
}

TEST(VstatsFake, PeerThatNeverPongsIsDropped) {
  vstats_config config = vstats_test_config();
  config.ping_interval = 100ms;
  auto server = start_vstats(config);
  silent_peer peer(server->port(), "/ws");
  ASSERT_TRUE(peer.upgraded());
  auto start = clock::now();
  EXPECT_TRUE(peer.closed_within(1000ms));
  EXPECT_GE(clock::now() - start, 150ms) << "one ping interval to answer";
}

TEST(VstatsFake, TokenFileErrorsAreUsageErrors) {
  vstats_config config = vstats_test_config();
  config.tokens_json = R"({"t": {"name": "no id"}})";
  EXPECT_THROW(start_vstats(config), std::exception);
  config.tokens_json.clear();
  config.tokens_file = "/nonexistent/tokens.json";
  EXPECT_THROW(start_vstats(config), std::exception);
  config.tokens_file.clear();
  config.faults = {"no-such-fault"};
  EXPECT_THROW(start_vstats(config), std::exception);
}

}  // namespace
}  // namespace drover::fakes
