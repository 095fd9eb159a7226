// --source-ips for http_client: every new connection binds the pool's next address, so a server
// sees the requests' connections arrive from those addresses in turn.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "harness/common/source_ips.hpp"
#include "harness/transport/http_client.hpp"

namespace drover::transport::testing {
namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;

// Answers up to `limit` HTTP requests on 127.0.0.1 (a free port), one connection each
// ("Connection: close", so the client cannot reuse one), recording each connection's peer address.
class peer_recording_http_server {
 public:
  explicit peer_recording_http_server(int limit) : acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
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
        net::streambuf head;
        net::read_until(sock, head, "\r\n\r\n", ec);
        net::write(sock, net::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")), ec);
      }
    });
  }
  ~peer_recording_http_server() {
    stop_ = true;
    boost::system::error_code ec;
    net::ip::tcp::socket poke(io_);  // wakes a blocking accept
    poke.connect({net::ip::make_address("127.0.0.1"), port()}, ec);
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> peers() const {
    std::lock_guard<std::mutex> lock(mu_);
    return peers_;
  }

 private:
  net::io_context io_;
  net::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> peers_;
  std::thread thread_;
};

http_response request(http_client& client, net::io_context& io, const http_request& req) {
  std::optional<http_response> out;
  client.async_request(req, [&](http_response r) { out = std::move(r); });
  auto until = clock::now() + 10s;
  while (!out && clock::now() < until) {
    io.restart();
    io.run_one_for(20ms);
  }
  if (!out) ADD_FAILURE() << "no completion within 10 s";
  return out.value_or(http_response{});
}

TEST(HttpClientSourceIps, NewConnectionsComeFromThePoolInTurn) {
  peer_recording_http_server server(4);
  net::io_context io{1};
  {
    http_client client(io, nullptr, nullptr);
    http_request req;
    req.url = parse_http_url("http://127.0.0.1:" + std::to_string(server.port()) + "/");
    req.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("127.0.0.6,127.0.0.7"));
    for (int i = 0; i < 4; ++i) {
      auto r = request(client, io, req);
      ASSERT_TRUE(r) << r.message;
      EXPECT_EQ(r.body, "ok");
    }
  }
  io.restart();
  io.poll();
  EXPECT_EQ(server.peers(), (std::vector<std::string>{"127.0.0.6", "127.0.0.7", "127.0.0.6", "127.0.0.7"}));
}

TEST(HttpClientSourceIps, AnAddressThatIsNotLocalIsAnErrorNamingIt) {
  peer_recording_http_server server(1);
  net::io_context io{1};
  {
    http_client client(io, nullptr, nullptr);
    http_request req;
    req.url = parse_http_url("http://127.0.0.1:" + std::to_string(server.port()) + "/");
    req.source_ips = std::make_shared<const source_ip_pool>(parse_source_ips("203.0.113.9"));
    auto r = request(client, io, req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error, http_error::other);
    EXPECT_NE(r.message.find("cannot bind the source address 203.0.113.9"), std::string::npos) << r.message;
  }
  io.restart();
  io.poll();
  EXPECT_TRUE(server.peers().empty());
}

}  // namespace
}  // namespace drover::transport::testing
