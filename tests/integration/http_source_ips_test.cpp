// Lua's http.* under drover run --source-ips: the requests' connections come from the given
// addresses (lua_http.cpp passes the run's source pool to each request), seen in /proc/net/tcp
// while each client keeps its kept-alive connection open.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

// Local IPv4 addresses of established TCP connections to `port` ("0200007F" is 127.0.0.2).
std::set<std::string> http_client_addresses_to(int port) {
  std::set<std::string> out;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state != "01") continue;  // ESTABLISHED
    if (std::stoi(remote.substr(remote.find(':') + 1), nullptr, 16) != port) continue;
    unsigned long ip = std::stoul(local.substr(0, local.find(':')), nullptr, 16);
    char text[16];
    std::snprintf(text, sizeof text, "%lu.%lu.%lu.%lu", ip & 0xff, (ip >> 8) & 0xff, (ip >> 16) & 0xff, ip >> 24);
    out.insert(text);
  }
  return out;
}

TEST(LuaHttpSourceIps, HttpRequestsConnectFromTheGivenAddresses) {
  // The DataKraken fake answers HTTP (a 404 for an unknown session) and keeps the connection.
  fake_process fake("datakraken");
  auto dir = temp_dir("http-source-ips");
  std::string script = dir + "/h.lua";
  std::ofstream(script) << R"(
function client()
  local res, err, msg = http.get(env.HTTP .. "/api/session/none")
  check("answered", res ~= nil and res.status == 404, msg)
  while vu.running() do sleep(100) end
end
)";
  std::string http = "http://127.0.0.1:" + std::to_string(fake.port());
  auto run = std::async(std::launch::async, [&] {
    return run_process({DROVER_BINARY, "run", script, "--vus", "4", "--duration", "3s", "--workers", "1",
                        "--source-ips", "127.0.0.2-127.0.0.3", "--env", "HTTP=" + http, "--out", dir, "--quiet"},
                       std::chrono::seconds(60));
  });
  std::set<std::string> seen;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);  // the run lasts ~3 s
  while (run.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready &&
         std::chrono::steady_clock::now() < until) {
    for (const auto& a : http_client_addresses_to(fake.port())) seen.insert(a);
  }
  auto r = run.get();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(seen, (std::set<std::string>{"127.0.0.2", "127.0.0.3"}));
}

}  // namespace
}  // namespace drover::test
