// Hostile load on the wearable fake: a half-open TCP connection and 1,000 clients that never
// IDENTIFY must not stop it serving a well-behaved client, and each silent client gets 4000.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "wearable_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

TEST(WearableFakeLoad, ThousandSilentClientsAndAHalfOpenOneLeaveOthersServed) {
  auto config = test_config();
  config.heartbeat_interval = 5000ms;
  config.identify_timeout = 1500ms;
  auto server = start_wearable(config);

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket half_open(io);
  half_open.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(half_open, boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")));

  std::vector<std::unique_ptr<test_client>> silent;
  for (int i = 0; i < 1000; ++i) {
    silent.push_back(std::make_unique<test_client>(server->port()));
    ASSERT_TRUE(silent.back()->handshake_ok()) << "client " << i;
  }

  auto good = identified(server->port(), "dev:busy:1", 1);
  good->send(R"({"op":0})");
  EXPECT_EQ(good->next_json()["op"], 1) << "a heartbeat is still acknowledged";

  int closed_4000 = 0;
  for (auto& c : silent)
    if (c->wait_close(5000ms) == 4000) ++closed_4000;
  EXPECT_EQ(closed_4000, 1000);
}

}  // namespace
}  // namespace drover::fakes
