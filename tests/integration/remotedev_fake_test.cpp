// `drover fake remotedev` as a process: its flags reach the fake (protocol, timers), the default
// is protocol v2, --list-faults prints the table, bad flags exit 2 with one line, SIGTERM closes
// every connection 1001 and exits 0. The wire is spoken by hand over a POSIX socket (the
// integration tests link no Beast), which also checks the fake against a client that is not Beast.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// A minimal WebSocket client: upgrade, masked text frames out, unmasked frames in.
class raw_ws {
 public:
  struct frame {
    int opcode = 0;
    std::string payload;
  };

  raw_ws(int port, const std::string& path) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    write_all("GET " + path +
              " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (buffer_.find("\r\n\r\n") == std::string::npos)
      if (!fill(deadline)) return;
    std::size_t end = buffer_.find("\r\n\r\n") + 4;
    std::istringstream status_line(buffer_.substr(0, buffer_.find("\r\n")));
    std::string http;
    status_line >> http >> status_;
    buffer_.erase(0, end);
  }
  ~raw_ws() {
    if (fd_ >= 0) ::close(fd_);
  }
  raw_ws(const raw_ws&) = delete;
  raw_ws& operator=(const raw_ws&) = delete;

  int status() const { return status_; }

  void send_text(const std::string& text) {
    std::string out;
    out.push_back(static_cast<char>(0x81));
    if (text.size() < 126) {
      out.push_back(static_cast<char>(0x80 | text.size()));
    } else {
      out.push_back(static_cast<char>(0x80 | 126));
      out.push_back(static_cast<char>(text.size() >> 8));
      out.push_back(static_cast<char>(text.size() & 0xff));
    }
    const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    out.append(reinterpret_cast<const char*>(mask), 4);
    for (std::size_t i = 0; i < text.size(); ++i) out.push_back(static_cast<char>(text[i] ^ mask[i % 4]));
    write_all(out);
  }

  // The next frame, or nothing when none is complete within the timeout (or the peer left).
  std::optional<frame> next(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (buffer_.size() >= 2) {
        std::size_t length = static_cast<unsigned char>(buffer_[1]) & 0x7f;
        std::size_t header = 2;
        if (length == 126 && buffer_.size() >= 4) {
          length = (static_cast<unsigned char>(buffer_[2]) << 8) | static_cast<unsigned char>(buffer_[3]);
          header = 4;
        } else if (length == 127 && buffer_.size() >= 10) {
          length = 0;
          for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<unsigned char>(buffer_[i]);
          header = 10;
        }
        bool header_complete = (length < 126 || header > 2);
        if (header_complete && buffer_.size() >= header + length) {
          frame f{static_cast<unsigned char>(buffer_[0]) & 0x0f, buffer_.substr(header, length)};
          buffer_.erase(0, header + length);
          return f;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // The next text frame, skipping pings of SocketCluster (frames "#1" and ""), parsed as JSON.
  json::object next_json(std::chrono::milliseconds timeout = 3000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto f = next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (!f) break;
      if (f->opcode != 1 || f->payload.empty() || f->payload == "#1") continue;
      boost::system::error_code ec;
      json::value v = json::parse(f->payload, ec);
      if (!ec && v.is_object()) return v.as_object();
      ADD_FAILURE() << "not a JSON object: " << f->payload;
      return {};
    }
    ADD_FAILURE() << "no JSON message in time";
    return {};
  }

 private:
  void write_all(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }
  bool fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  int status_ = 0;
  std::string buffer_;
};

std::string handshake(int cid) {
  return R"({"event":"#handshake","data":{"authToken":null},"cid":)" + std::to_string(cid) + "}";
}

TEST(RemotedevFakeCli, FlagsReachTheFakeAndSigtermCloses1001) {
  fake_process fake("remotedev", {"--protocol", "v1", "--ping-interval", "150ms", "--ping-timeout", "1500ms",
                                  "--handshake-timeout", "5s", "--threads", "1"});
  raw_ws c(fake.port(), "/socketcluster/");
  ASSERT_EQ(c.status(), 101);
  c.send_text(handshake(1));
  json::object answer = c.next_json();
  EXPECT_EQ(answer["rid"], 1);
  EXPECT_EQ(answer["data"].as_object()["pingTimeout"], 1500);
  auto ping = c.next(2000ms);
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, 1);
  EXPECT_EQ(ping->payload, "#1") << "protocol v1 pings with #1";
  c.send_text(R"({"event":"login","data":"master","cid":2})");
  EXPECT_EQ(c.next_json(), (json::object{{"rid", 2}, {"data", "respond"}}));
  fake.process().signal(SIGTERM);
  std::optional<raw_ws::frame> f;
  for (int i = 0; i < 20 && (f = c.next(3000ms)) && f->opcode != 8; ++i) {
  }
  ASSERT_TRUE(f);
  ASSERT_EQ(f->opcode, 8) << "a close frame";
  ASSERT_GE(f->payload.size(), 2u);
  EXPECT_EQ((static_cast<unsigned char>(f->payload[0]) << 8) | static_cast<unsigned char>(f->payload[1]), 1001);
  EXPECT_EQ(fake.process().wait(5000ms), 0);
}

TEST(RemotedevFakeCli, DefaultIsProtocolV2OnSocketclusterOnly) {
  fake_process fake("remotedev", {"--ping-interval", "100ms"});
  raw_ws wrong(fake.port(), "/");
  EXPECT_EQ(wrong.status(), 404);
  raw_ws c(fake.port(), "/socketcluster/");
  ASSERT_EQ(c.status(), 101);
  auto ping = c.next(2000ms);
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->opcode, 1);
  EXPECT_EQ(ping->payload, "") << "protocol v2 pings with an empty text frame";
  c.send_text(handshake(7));
  json::object answer = c.next_json();
  EXPECT_EQ(answer["rid"], 7);
  EXPECT_EQ(answer["data"].as_object()["pingTimeout"], 30000);
}

TEST(RemotedevFakeCli, ListFaultsPrintsOneLinePerFault) {
  auto r = run_process({DROVER_BINARY, "fake", "remotedev", "--list-faults"}, std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_NE(line.find("[breaks: docs/protocols/remotedev.md §"), std::string::npos) << line;
  }
  EXPECT_GE(count, 9);
  for (const char* name : {"no-handshake-timeout", "non-handshake-accepted", "no-ping", "ping-timeout-ignored",
                           "log-noid-not-wrapped", "no-disconnected", "publish-accepted", "wrong-channel-for-monitor",
                           "answer-plain-emit"})
    EXPECT_NE(r.out.find(std::string(name) + " "), std::string::npos) << name;
}

TEST(RemotedevFakeCli, BadFlagsExitTwoWithOneLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--protocol", "v3"}, "--protocol must be v1 or v2"},
      {{"--ping-timeout", "0"}, "--ping-timeout must be above 0"},
      {{"--ping-interval", "soon"}, "'soon' is not a duration"},
      {{"--handshake-timeout", "0ms"}, "--handshake-timeout must be above 0"},
      {{"--fault", "nope"}, "unknown fault 'nope'"},
      {{"--max-message", "0"}, "--max-message must be above 0"},
      {{"--no-such-flag"}, "--no-such-flag"},
  };
  for (const auto& [args, expected] : cases) {
    std::vector<std::string> argv = {DROVER_BINARY, "fake", "remotedev", "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_process(argv, std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 2) << args.front() << ": " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "") << "nothing listens";
  }
}

}  // namespace
}  // namespace drover::test
