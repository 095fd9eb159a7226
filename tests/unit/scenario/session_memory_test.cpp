// A session's memory ends with the session: whatever way a script ends a connection (close,
// a server close, an error, or simply dropping it), the connection object is destroyed once
// the script no longer references it. Lua's lua_yield and lua_error longjmp past C++
// destructors, so a C++ reference alive in a yielding API function would keep every connection
// forever; these tests count the live connection objects to prove none is kept.
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "harness/metrics/recorder.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_state.hpp"
#include "harness/transport/ws_connection.hpp"
#include "tests/support/ws_test_server.hpp"

namespace drover::scenario {
namespace {

std::string write_script(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/drover-unit-session-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".lua";
  std::ofstream(path) << text;
  return path;
}

// Clients of one script against a server, run to completion on the test's thread.
struct churn {
  boost::asio::io_context io{1};
  metrics::recorder rec;
  client_environment env;
  lua_state lua;
  int function_ref = LUA_NOREF;

  churn(const std::string& target, const std::string& script)
      : env{io, nullptr, rec, transport::clock::now(), target, {}, std::chrono::milliseconds(2000), {}, true} {
    install_api(lua.get(), env);
    lua.run_file(write_script(script));
    lua_getglobal(lua.get(), "client");
    function_ref = luaL_ref(lua.get(), LUA_REGISTRYINDEX);
  }

  void run(int clients, long long iterations) {
    std::vector<std::shared_ptr<client>> running;
    for (int i = 1; i <= clients; ++i) {
      running.push_back(std::make_shared<client>(env, lua.get(), i, iterations, function_ref, LUA_NOREF,
                                                 [](client&) {}));
      running.back()->start();
    }
    io.run();
    io.restart();
  }

  void collect_garbage() {
    lua_gc(lua.get(), LUA_GCCOLLECT);
    io.poll();  // handlers the collected connections posted (their aborts) run and let go
    io.restart();
  }

  double counter(const std::string& name) {
    auto* e = rec.find(name);
    return e && e->counter ? e->counter->total : -1;
  }
};

struct ending {
  const char* name;
  const char* body;  // runs with `conn` open after one echoed message
  bool ends_client = false;  // the client stops after its first iteration
};

class SessionMemory : public ::testing::TestWithParam<ending> {};

TEST_P(SessionMemory, ConnectionObjectsAreFreedWhenTheScriptLetsGo) {
  test::ws_test_server server({.mode = test::server_mode::echo});
  std::size_t before = transport::live_connections();
  churn c(server.url(), std::string(R"(
    function client()
      local conn = assert(ws.connect())
      assert(conn:send({ n = vu.iteration }))
      assert(conn:recv(2000))
      )") + GetParam().body + R"(
    end)");
  constexpr int clients = 20, iterations = 25;
  c.run(clients, iterations);
  int sessions = GetParam().ends_client ? clients : clients * iterations;
  EXPECT_EQ(c.counter("ws_sessions"), sessions);
  EXPECT_EQ(c.counter("iterations"), sessions);
  c.collect_garbage();
  // Before the fix every session ever opened was still here.
  EXPECT_EQ(transport::live_connections(), before) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    EveryWayASessionEnds, SessionMemory,
    ::testing::Values(ending{"close", "conn:close(1000, 'a reason longer than the small-string buffer')"},
                      ending{"dropped", ""},
                      ending{"wait_close_timeout", "conn:wait_close(1) conn:close()"},
                      ending{"recv_timeout", "conn:recv(1) conn:close()"},
                      ending{"ping", "conn:ping(2000) conn:close()"},
                      ending{"raw", "conn:send_raw('{}') conn:recv_raw(2000) conn:send_binary('x') conn:recv_raw(2000) conn:close()"},
                      ending{"lua_error", "error('the script fails with the connection open')", true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SessionMemory, FailedConnectsLeaveNothing) {
  std::size_t before = transport::live_connections();
  auto port = test::unused_port();
  churn c("ws://127.0.0.1:" + std::to_string(port) + "/", R"(
    function client()
      local conn, err = ws.connect()
      assert(conn == nil and err == "connection_refused", err)
    end)");
  c.run(10, 20);
  c.collect_garbage();
  EXPECT_EQ(transport::live_connections(), before);
}

TEST(SessionMemory, BadConnectArgumentsRaiseAndLeaveNothing) {
  std::size_t before = transport::live_connections();
  churn c("ws://127.0.0.1:1/", R"(
    function client()
      local ok, err = pcall(ws.connect, "ws://127.0.0.1:1/", { validate = "both" })
      assert(not ok and err:find("validate must be"), err)
      ok, err = pcall(ws.connect, "http://example/")
      assert(not ok and err:find("ws.connect"), err)
      metrics.counter("raised")
    end)");
  c.run(3, 5);
  EXPECT_EQ(c.counter("raised"), 15);
  c.collect_garbage();
  EXPECT_EQ(transport::live_connections(), before);
}

}  // namespace
}  // namespace drover::scenario
