// --source-ips in the transport: each connection binds the next address of the pool before it
// connects, so the server sees the connections arrive from those addresses in turn.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <gtest/gtest.h>

#include "harness/common/source_ips.hpp"
#include "tests/support/ws_test_server.hpp"
#include "tests/unit/transport/sync_client.hpp"

namespace drover::transport::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;

// Accepts up to `limit` WebSocket sessions on 127.0.0.1 (a free port), one after the other, and
// records the peer address of each accepted TCP connection. The sessions stay open until the
// server is destroyed (the client side aborts them first).
class peer_recording_server {
 public:
  explicit peer_recording_server(int limit, const char* listen = "127.0.0.1")
      : listen_(net::ip::make_address(listen)), acceptor_(io_, {listen_, 0}) {
    thread_ = std::thread([this, limit] {
      for (int i = 0; i < limit && !stop_; ++i) {
        net::ip::tcp::socket sock(io_);
        boost::system::error_code ec;
        acceptor_.accept(sock, ec);
        if (ec || stop_) return;
        {
          std::lock_guard<std::mutex> lock(mu_);
          peers_.push_back(sock.remote_endpoint(ec).address().to_string());
        }
        auto ws = std::make_unique<beast::websocket::stream<net::ip::tcp::socket>>(std::move(sock));
        ws->accept(ec);
        if (!ec) sessions_.push_back(std::move(ws));
      }
    });
  }
  ~peer_recording_server() {
    stop_ = true;
    boost::system::error_code ec;
    // Wakes a blocking accept: a connection the loop sees after stop_.
    net::ip::tcp::socket poke(io_);
    poke.connect({listen_, port()}, ec);
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> peers() const {
    std::lock_guard<std::mutex> lock(mu_);
    return peers_;
  }

 private:
  net::io_context io_;
  net::ip::address listen_;
  net::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> peers_;
  std::vector<std::unique_ptr<beast::websocket::stream<net::ip::tcp::socket>>> sessions_;
  std::thread thread_;
};

TEST(WsConnectionSourceIps, ConnectionsComeFromThePoolInTurn) {
  peer_recording_server server(6);
  connect_options options;
  options.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("127.0.0.2-127.0.0.4"));
  std::string url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/";
  std::vector<std::unique_ptr<sync_client>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<sync_client>());
    auto r = clients.back()->connect(url, options);  // copies of one options object share the pool
    ASSERT_FALSE(r.error) << "connection " << i << ": " << r.error.message;
  }
  EXPECT_EQ(server.peers(), (std::vector<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.2",
                                                      "127.0.0.3", "127.0.0.4"}));
}

TEST(WsConnectionSourceIps, Ipv6LoopbackAsTheSource) {
  {
    boost::system::error_code ec;
    net::io_context probe;
    net::ip::tcp::acceptor a(probe);
    a.open(net::ip::tcp::v6(), ec);
    if (!ec) a.bind({net::ip::make_address("::1"), 0}, ec);
    if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  }
  peer_recording_server server(2, "::1");
  connect_options options;
  options.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("::1"));
  std::string url = "ws://[::1]:" + std::to_string(server.port()) + "/";
  sync_client a, b;
  auto r = a.connect(url, options);
  ASSERT_FALSE(r.error) << r.error.message;
  r = b.connect(url, options);
  ASSERT_FALSE(r.error) << r.error.message;
  EXPECT_EQ(server.peers(), (std::vector<std::string>{"::1", "::1"}));
}

TEST(WsConnectionSourceIps, WithoutAPoolTheKernelPicks127001) {
  peer_recording_server server(1);
  sync_client c;
  auto r = c.connect("ws://127.0.0.1:" + std::to_string(server.port()) + "/");
  ASSERT_FALSE(r.error) << r.error.message;
  EXPECT_EQ(server.peers(), std::vector<std::string>{"127.0.0.1"});
}

TEST(WsConnectionSourceIps, AnAddressOfAnotherFamilyIsATypedErrorNamingIt) {
  peer_recording_server server(1);
  sync_client c;
  connect_options options;
  options.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("::1"));
  auto r = c.connect("ws://127.0.0.1:" + std::to_string(server.port()) + "/", options);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error.kind, error_kind::other);
  EXPECT_NE(r.error.message.find("no address of the target has the family of the source address ::1"),
            std::string::npos)
      << r.error.message;
  EXPECT_TRUE(server.peers().empty());
}

TEST(WsConnectionSourceIps, AnAddressThatIsNotLocalFailsTheConnectNamingIt) {
  peer_recording_server server(1);
  sync_client c;
  connect_options options;
  // TEST-NET-3 (RFC 5737): never an address of this machine, so bind() fails.
  options.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("203.0.113.7"));
  auto r = c.connect("ws://127.0.0.1:" + std::to_string(server.port()) + "/", options);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error.message.find("cannot bind the source address 203.0.113.7"), std::string::npos) << r.error.message;
}

TEST(WsConnectionSourceIps, RefusedNamesTheSourceAddress) {
  sync_client c;
  connect_options options;
  options.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("127.0.0.5"));
  auto r = c.connect("ws://127.0.0.1:" + std::to_string(test::unused_port()) + "/", options);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error.kind, error_kind::connection_refused) << r.error.message;
  EXPECT_NE(r.error.message.find("(from 127.0.0.5)"), std::string::npos) << r.error.message;
}

}  // namespace
}  // namespace drover::transport::testing
