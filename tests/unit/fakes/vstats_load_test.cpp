// Hostile input to the vStats fake: junk, an oversized frame, a half-open TCP connection and
// 2,000 silent connections must leave it serving a dashboard and an agent.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "vstats_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

TEST(VstatsFakeLoad, JunkOversizedHalfOpenAndTwoThousandSilentLeaveOthersServed) {
  vstats_config config = vstats_test_config();
  config.ping_interval = 5000ms;
  auto server = start_vstats(config);

  EXPECT_TRUE(raw_bytes_get_closed(server->port(), std::string(5000, 'x') + "\r\n\r\n", 3000ms)) << "junk";

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket half_open(io);
  half_open.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(half_open, boost::asio::buffer(std::string("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n")));

  test_client big(server->port(), agent_target("agent:big"));
  big.send(std::string(2u << 20, 'a'));  // above the 1 MiB limit
  ws_event refused = big.next(5000ms);
  EXPECT_NE(refused.what, ws_event::kind::message);
  EXPECT_NE(refused.what, ws_event::kind::timeout) << "the oversized frame ends the connection";
  // 1009, or a reset when the close frame meets the rest of our frame on the wire.
  if (refused.what == ws_event::kind::closed) EXPECT_EQ(refused.close_code, 1009);

  std::vector<std::unique_ptr<test_client>> silent;
  for (int i = 0; i < 2000; ++i) {
    silent.push_back(std::make_unique<test_client>(server->port(), i % 2 ? "/ws" : agent_target("agent:silent-" + std::to_string(i))));
    ASSERT_TRUE(silent.back()->handshake_ok()) << "client " << i;
  }

  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:busy"));
  agent.send("{not json");
  agent.send(R"({"type":"unknown"})");
  agent.send(R"({"type":"metrics","data":"not an object"})");
  agent.send(report_frame(1));
  auto m = next_of_type(dash, "metrics", 5000ms);
  ASSERT_FALSE(m.empty()) << "the agent's report reaches the dashboard";
  EXPECT_EQ(m["data"].as_object()["server_id"], "busy");
}

TEST(VstatsFakeLoad, LargeReportIsForwardedWhole) {
  auto server = start_vstats(vstats_test_config());
  test_client dash(server->port(), "/ws");
  test_client agent(server->port(), agent_target("agent:wide"));
  json::array disks;
  for (int i = 0; i < 2000; ++i) disks.push_back(json::object{{"name", "d" + std::to_string(i)}, {"total", 1}, {"used", 0}});
  json::object report = json::parse(report_frame(1)).as_object();
  report["data"].as_object()["disks"] = disks;
  agent.send(json::serialize(report));
  auto m = next_of_type(dash, "metrics");
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m["data"].as_object()["metrics"].as_object()["disks"].as_array().size(), 2000u);
}

}  // namespace
}  // namespace drover::fakes
