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
    for (const auto& a : client_addresses_connected_to(fake.port())) seen.insert(a);
  }
  auto r = run.get();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(seen, (std::set<std::string>{"127.0.0.2", "127.0.0.3"}));
}

}  // namespace
}  // namespace drover::test
