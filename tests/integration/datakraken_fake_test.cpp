// `drover fake datakraken` as a process: its fault list, its usage errors, the flags reaching
// the HTTP answers, and a clean exit on SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string drover = DROVER_BINARY;

// One HTTP/1.1 request with Connection: close over a plain socket; the whole answer ("" when
// the connection fails). Reads are bounded by a 5 s receive timeout.
std::string http_get(int port, const std::string& target) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      for (int i = 0; i < 1000; ++i) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(fd);
  return out;
}

TEST(DatakrakenFakeCli, ListFaultsPrintsEveryFaultWithTheRuleItBreaks) {
  auto r = run_process({drover, "fake", "datakraken", "--list-faults"}, std::chrono::seconds(10));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = "\n" + r.out;
  for (const char* fault : {"no-cookie", "cookie-not-kept", "ttl-wrong", "same-ticket-per-visitor", "ticket-reusable",
                            "ticket-never-expires", "bad-ticket-accepted", "missing-ticket-accepted",
                            "refuse-with-4001", "close-at-ttl", "listeners-swapped", "ignore-listeners",
                            "wants-elapsed", "accept-before-start", "no-bad-json-close", "server-sends-data",
                            "lose-events", "needs-end-message", "duration-needs-end", "always-ended-cleanly",
                            "unknown-session-found"})
    EXPECT_NE(text.find(std::string("\n") + fault + " "), std::string::npos) << fault << "\n" << r.out;
  std::size_t lines = 0, rules = 0;
  for (std::size_t at = 0; (at = r.out.find('\n', at)) != std::string::npos; ++at) ++lines;
  for (std::size_t at = 0; (at = r.out.find("[breaks: docs/protocols/datakraken.md §", at)) != std::string::npos; ++at)
    ++rules;
  EXPECT_EQ(lines, 21u);
  EXPECT_EQ(rules, 21u);
}

TEST(DatakrakenFakeCli, BadFlagsAreUsageErrorsNamingTheFlag) {
  struct bad {
    std::vector<std::string> args;
    std::string words;
  };
  for (const bad& b : {bad{{"--ticket-ttl", "1500"}, "--ticket-ttl"}, bad{{"--ticket-ttl", "soon"}, "soon"},
                       bad{{"--listeners", "click,scroll"}, "scroll"}, bad{{"--fault", "nope"}, "unknown fault 'nope'"},
                       bad{{"--max-sessions", "0"}, "--max-sessions"}, bad{{"--max-message", "10"}, "--max-message"},
                       bad{{"--host", "localhost"}, "not an IP address"}}) {
    std::vector<std::string> argv = {drover, "fake", "datakraken", "--port", "0"};
    argv.insert(argv.end(), b.args.begin(), b.args.end());
    auto r = run_process(argv, std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 2) << b.args[0] << " " << b.args[1];
    EXPECT_NE(r.err.find(b.words), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << "never started";
  }
}

TEST(DatakrakenFakeCli, FlagsReachTheTicketAnswerAndSigtermExitsZero) {
  fake_process fake("datakraken", {"--ticket-ttl", "2s", "--listeners", "click", "--fault", "no-cookie"});
  std::string answer = http_get(fake.port(), "/api/session");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"ttl\":2"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"listeners\":[\"click\"]"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("Set-Cookie"), std::string::npos) << "--fault no-cookie reaches every answer";
  EXPECT_EQ(http_get(fake.port(), "/api/session/unknown").rfind("HTTP/1.1 404", 0), 0u);
  fake.process().signal(SIGTERM);
  EXPECT_EQ(fake.process().wait(std::chrono::milliseconds(5000)), 0);
}

}  // namespace
}  // namespace drover::test
