// Hostile input to the WiDB fake: junk instead of HTTP, a frame above the size limit, a
// half-open TCP connection, 2,000 silent WebSocket connections and a 10,000-line log dump must
// leave it serving a well-behaved phone and dashboard.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "widb_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

TEST(WidbFakeLoad, JunkOversizedHalfOpenAndThousandsOfSilentClientsLeaveOthersServed) {
  auto config = widb_test_config();
  config.max_message = 1u << 20;
  auto server = start_widb(config);
  auto dash = dashboard(server->port(), "busy");

  EXPECT_TRUE(raw_bytes_get_closed(server->port(), std::string(20000, 'j'), 3s)) << "junk instead of HTTP is dropped";

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket half_open(io);
  half_open.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(half_open, boost::asio::buffer(std::string("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n")));

  std::vector<std::unique_ptr<test_client>> silent_clients;
  for (int i = 0; i < 2000; ++i) {
    silent_clients.push_back(std::make_unique<test_client>(server->port(), "/ws"));
    ASSERT_TRUE(silent_clients.back()->handshake_ok()) << "client " << i;
  }

  {
    auto big = phone(server->port(), "busy");
    big->send(std::string(2u << 20, ' '));
    auto e = big->next(5s);
    // Beast closes 1009; while the client is still writing it may see the teardown instead.
    EXPECT_NE(e.what, ws_event::kind::message);
    EXPECT_NE(e.what, ws_event::kind::timeout);
    if (e.what == ws_event::kind::closed) EXPECT_EQ(e.close_code, 1009);
  }

  auto p = phone(server->port(), "busy");
  p->send(dump_frame(threadtime("still served")));
  EXPECT_EQ(entry_texts(dash->next_json()), std::vector<std::string>{"still served"});
  EXPECT_GE(server->live_sessions(), 2000u) << "the silent clients are still connected, nobody was dropped";
}

TEST(WidbFakeLoad, TenThousandLineDumpArrivesWholeAndOthersGoOn) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "big");
  auto other_dash = dashboard(server->port(), "small");
  auto p = phone(server->port(), "big");
  std::string raw;
  for (int i = 0; i < 10'000; ++i) {
    raw += threadtime("line " + std::to_string(i) + " of a long stack trace");
    raw += i % 3 == 0 ? "\n" + std::string("free text ") + std::to_string(i) + "\n" : "\n";
  }
  p->send(dump_frame(raw));
  auto small = phone(server->port(), "small");
  small->send(dump_frame(threadtime("quick")));
  EXPECT_EQ(entry_texts(other_dash->next_json()), std::vector<std::string>{"quick"});
  auto texts = entry_texts(dash->next_json(10s));
  ASSERT_EQ(texts.size(), 10'000u + 3'334u);
  EXPECT_EQ(texts.front(), "line 0 of a long stack trace");
  EXPECT_EQ(texts[1], "free text 0");
  EXPECT_EQ(texts[texts.size() - 2], "line 9999 of a long stack trace");
  EXPECT_EQ(texts.back(), "free text 9999");
  EXPECT_TRUE(silent(*p)) << "the phone still gets nothing back";
}

}  // namespace
}  // namespace drover::fakes
