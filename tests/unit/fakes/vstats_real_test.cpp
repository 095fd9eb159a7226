// The vStats fake in the real dialect (docs/protocols/vstats.md §14): in-band auth, snapshot,
// deltas, and its faults.
#include <gtest/gtest.h>

#include "vstats_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using clock = std::chrono::steady_clock;

std::unique_ptr<fake_server> start_real(std::vector<std::string> faults = {}, std::chrono::milliseconds delta = 100ms) {
  vstats_config config = vstats_test_config();
  config.dialect = "real";
  config.delta_interval = delta;
  config.faults = std::move(faults);
  return start_vstats(config);
}

std::string auth_frame(const std::string& id, const std::string& token) {
  return json::serialize(json::object{{"type", "auth"}, {"server_id", id}, {"token", token}});
}

std::string real_report(double usage) {
  json::object report = json::parse(report_frame(1)).as_object()["data"].as_object();
  report["cpu"].as_object()["usage"] = usage;
  report["uptime"] = 77;
  return json::serialize(json::object{{"type", "metrics"}, {"metrics", report}});
}

TEST(VstatsRealFake, AuthIsAnsweredInBandWithoutAClose) {
  auto server = start_real();
  test_client agent(server->port(), "/ws/agent");
  agent.send(real_report(1));
  EXPECT_EQ(type_of(agent.next_json()), "error") << "metrics before auth";
  agent.send(auth_frame("s1", "agent:other"));
  auto bad = agent.next_json();
  EXPECT_EQ(bad["status"], "error");
  EXPECT_TRUE(bad["message"].is_string());
  agent.send(auth_frame("s1", "agent:s1"));
  EXPECT_EQ(agent.next_json()["status"], "ok");
  EXPECT_EQ(agent.next(200ms).what, ws_event::kind::timeout) << "still open, and the server sends no pings";
  EXPECT_EQ(agent.pings_received(), 0);
}

TEST(VstatsRealFake, SnapshotThenDeltasWithTheNewFigures) {
  auto server = start_real();
  test_client agent(server->port(), "/ws/agent");
  agent.send(auth_frame("s1", "agent:s1"));
  ASSERT_EQ(agent.next_json()["status"], "ok");
  agent.send(real_report(41.6));
  std::this_thread::sleep_for(50ms);
  test_client dash(server->port(), "/ws");
  auto init = dash.next_json();
  EXPECT_EQ(type_of(init), "stream_init");
  EXPECT_EQ(init["total_servers"], 1);
  auto one = dash.next_json();
  EXPECT_EQ(type_of(one), "stream_server");
  EXPECT_EQ(one["index"], 0);
  EXPECT_EQ(one["server"].as_object()["server_id"], "s1");
  EXPECT_EQ(one["server"].as_object()["online"], true);
  EXPECT_TRUE(one["server"].as_object()["metrics"].is_object());
  EXPECT_EQ(type_of(dash.next_json()), "stream_end");
  agent.send(real_report(12.4));
  json::object with_m;
  auto t0 = clock::now();
  while (with_m.empty() && clock::now() - t0 < 1s) {
    auto d = next_of_type(dash, "delta", 500ms);
    ASSERT_FALSE(d.empty());
    EXPECT_TRUE(d["ts"].is_int64());
    if (d.contains("d")) with_m = d;
  }
  ASSERT_FALSE(with_m.empty());
  auto& change = with_m["d"].as_array()[0].as_object();
  EXPECT_EQ(change["id"], "s1");
  EXPECT_EQ(change["m"].as_object()["c"], 12);
  EXPECT_EQ(change["m"].as_object()["up"], 77);
}

TEST(VstatsRealFake, DeltasComeEveryInterval) {
  auto server = start_real({}, 100ms);
  test_client dash(server->port(), "/ws");
  ASSERT_EQ(type_of(next_of_type(dash, "stream_end")), "stream_end");
  ASSERT_FALSE(next_of_type(dash, "delta").empty());
  auto t0 = clock::now();
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(next_of_type(dash, "delta").empty());
  auto per = (clock::now() - t0) / 5;
  EXPECT_GE(per, 80ms);
  EXPECT_LE(per, 130ms);
}

TEST(VstatsRealFake, Faults) {
  auto server = start_real({}, 100ms);
  test_client quiet(server->port(), "/ws/agent?fault=no-auth-answer");
  quiet.send(auth_frame("q", "agent:q"));
  EXPECT_EQ(quiet.next(200ms).what, ws_event::kind::timeout);
  test_client closer(server->port(), "/ws/agent?fault=close-on-bad-auth");
  closer.send(auth_frame("x", "bad"));
  EXPECT_EQ(closer.wait_close(), 1008);
  test_client lax(server->port(), "/ws/agent?fault=metrics-before-auth-accepted");
  lax.send(real_report(1));
  EXPECT_EQ(lax.next(200ms).what, ws_event::kind::timeout);

  test_client miscount(server->port(), "/ws?fault=snapshot-miscount,no-stream-end,snapshot-offline");
  auto init = miscount.next_json();
  EXPECT_EQ(init["total_servers"], 2) << "one server (q) and one too many";
  auto listed = miscount.next_json();
  EXPECT_EQ(listed["server"].as_object()["online"], false);
  EXPECT_EQ(type_of(miscount.next_json()), "delta") << "no stream_end";

  test_client slow(server->port(), "/ws?fault=delta-slow");
  ASSERT_FALSE(next_of_type(slow, "delta").empty());
  auto t0 = clock::now();
  ASSERT_FALSE(next_of_type(slow, "delta").empty());
  EXPECT_GE(clock::now() - t0, 150ms);

  test_client bare(server->port(), "/ws?fault=delta-missing-report");
  test_client agent(server->port(), "/ws/agent");
  agent.send(auth_frame("r", "agent:r"));
  agent.send(real_report(5));
  for (int i = 0; i < 4; ++i) {
    auto d = next_of_type(bare, "delta");
    if (!d.contains("d")) continue;
    for (auto& c : d["d"].as_array()) EXPECT_FALSE(c.as_object().contains("m"));
  }
}

TEST(VstatsRealFake, UnknownDialectIsAUsageError) {
  vstats_config config = vstats_test_config();
  config.dialect = "other";
  EXPECT_THROW(start_vstats(config), std::exception);
  config.dialect = "real";
  config.faults = {"no-ping"};  // a documented-dialect fault
  EXPECT_THROW(start_vstats(config), std::exception);
}

}  // namespace
}  // namespace drover::fakes
