// drover run --source-ips against the echo fake: the run succeeds, its connections come from the
// given addresses (seen in /proc/net/tcp while the run holds them open), and bad values are usage
// errors naming the flag.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string drover = DROVER_BINARY;

// Each client connects, checks one echo, then holds its connection until the run ends so that
// the test can see it in /proc/net/tcp.
const char* holding_scenario = R"(
function client()
  local conn, err, detail = ws.connect()
  if not check("connected", conn ~= nil, detail) then return end
  conn:send({ type = "echo", id = vu.id })
  local ack, why = conn:recv(5000)
  check("echoed", type(ack) == "table" and ack.id == vu.id, why)
  while vu.running() do sleep(100) end
  conn:close(1000, "done")
end
)";

std::string write_scenario(const std::string& dir) {
  std::string path = dir + "/hold.lua";
  std::ofstream(path) << holding_scenario;
  return path;
}

TEST(SourceIps, RunAgainstEchoFakeConnectsFromTheGivenAddresses) {
  fake_process fake("echo");
  auto dir = temp_dir("source-ips");
  auto script = write_scenario(dir);
  auto run = std::async(std::launch::async, [&] {
    return run_process({drover, "run", script, "--target", fake.url(), "--vus", "6", "--duration", "3s",
                        "--workers", "2", "--source-ips", "127.0.0.2-127.0.0.4", "--out", dir, "--quiet"},
                       std::chrono::seconds(60));
  });
  // Polls /proc/net/tcp while the clients hold their connections (bounded: the run lasts ~3 s).
  std::set<std::string> seen;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (run.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready &&
         std::chrono::steady_clock::now() < until) {
    for (const auto& a : client_addresses_connected_to(fake.port())) seen.insert(a);
  }
  auto r = run.get();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(dir + "/summary.json")).as_object();
  EXPECT_EQ(doc.at("run").at("vus_connected").to_number<int>(), 6);
  EXPECT_EQ(seen, (std::set<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.4"}));
}

TEST(SourceIps, BadValuesAreUsageErrorsNamingTheFlag) {
  fake_process fake("echo");
  auto dir = temp_dir("source-ips-bad");
  auto script = write_scenario(dir);
  struct bad_case {
    std::string value, expected;
  };
  for (const auto& c : {bad_case{"127.0.0.2-127.0.0.300", "'127.0.0.300' in '127.0.0.2-127.0.0.300' is not an IP address"},
                        bad_case{"127.0.0.0/8", "holds 2^24 addresses, at most 65536"},
                        bad_case{"203.0.113.7", "cannot bind 203.0.113.7"}}) {
    auto r = run_process({drover, "run", script, "--target", fake.url(), "--vus", "1", "--duration", "1s",
                          "--source-ips", c.value, "--out", dir, "--quiet"},
                         std::chrono::seconds(30));
    EXPECT_EQ(r.exit_code, 2) << c.value << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("--source-ips: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace drover::test
