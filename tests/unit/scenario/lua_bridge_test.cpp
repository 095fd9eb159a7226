// The Lua bridge: a client coroutine yields on I/O and is resumed by the completion; errors
// end that client with a traceback; JSON crosses both ways; options are read strictly.
#include <cstdio>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/scenario/client.hpp"
#include "harness/scenario/lua_api.hpp"
#include "harness/scenario/lua_state.hpp"
#include "harness/scenario/scenario_options.hpp"

namespace drover::scenario {
namespace {

std::string write_script(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/drover-unit-scenario-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".lua";
  std::ofstream(path) << text;
  return path;
}

// One worker's worth of machinery, run to completion on the test's thread.
struct harness {
  boost::asio::io_context io{1};
  metrics::recorder rec;
  client_environment env{io, nullptr, rec, transport::clock::now(), "", {}, std::chrono::milliseconds(1000), {}, true};
  lua_state lua;
  int function_ref = LUA_NOREF;
  int finished = 0;

  explicit harness(const std::string& script) {
    install_api(lua.get(), env);
    lua.run_file(write_script(script));
    lua_getglobal(lua.get(), "client");
    function_ref = luaL_ref(lua.get(), LUA_REGISTRYINDEX);
  }

  void run_clients(int count, long long iterations = 1) {
    std::vector<std::shared_ptr<client>> clients;
    for (int i = 1; i <= count; ++i) {
      clients.push_back(std::make_shared<client>(env, lua.get(), i, iterations, function_ref, LUA_NOREF,
                                                 [this](client&) { ++finished; }));
      clients.back()->start();
    }
    io.run();
  }

  double counter(const std::string& name) {
    auto* e = rec.find(name);
    return e && e->counter ? e->counter->total : -1;
  }
  std::string first_error(const std::string& kind) {
    auto it = rec.errors().find(kind);
    return it == rec.errors().end() || it->second.samples.empty() ? "" : it->second.samples.front();
  }
};

TEST(LuaBridge, SleepYieldsAndTheCompletionResumesTheCoroutine) {
  harness h(R"(
    function client()
      local t0 = now()
      local ok = sleep(20)
      metrics.trend("slept", now() - t0)
      metrics.counter("woke", ok and 1 or 0)
    end)");
  h.run_clients(3);
  EXPECT_EQ(h.finished, 3);
  EXPECT_EQ(h.counter("woke"), 3);
  auto* slept = h.rec.find("slept");
  ASSERT_NE(slept, nullptr);
  EXPECT_EQ(slept->trend->values.count(), 3u);
  EXPECT_GE(slept->trend->values.min(), 20'000) << "a timer never fires early (values are in thousandths of ms)";
}

TEST(LuaBridge, ClientsInterleaveOnOneThread) {
  harness h(R"(
    order = {}
    function client()
      order[#order + 1] = "start" .. vu.id
      sleep(vu.id == 1 and 30 or 5)
      order[#order + 1] = "end" .. vu.id
      if #order == 4 then metrics.counter(table.concat(order, ",")) end
    end)");
  h.run_clients(2);
  EXPECT_EQ(h.counter("start1,start2,end2,end1"), 1) << "client 2 finished while client 1 slept";
}

TEST(LuaBridge, LuaErrorEndsTheClientWithATraceback) {
  harness h("local function inner(t)\n  return t.missing.field\nend\nfunction client()\n  inner({})\nend\n");
  h.run_clients(2);
  EXPECT_EQ(h.finished, 2);
  EXPECT_EQ(h.rec.errors().at("lua_error").count, 2u);
  std::string e = h.first_error("lua_error");
  EXPECT_NE(e.find(":2: attempt to index a nil value"), std::string::npos) << e;
  EXPECT_NE(e.find("stack traceback"), std::string::npos) << e;
  EXPECT_NE(e.find("in function 'client'"), std::string::npos) << e;
}

TEST(LuaBridge, ErrorAfterAYieldStillHasItsTraceback) {
  harness h("function client()\n  sleep(1)\n  error('after sleep')\nend\n");
  h.run_clients(1);
  std::string e = h.first_error("lua_error");
  EXPECT_NE(e.find(":3: after sleep"), std::string::npos) << e;
  EXPECT_NE(e.find("stack traceback"), std::string::npos) << e;
}

TEST(LuaBridge, BareCoroutineYieldIsReportedNotHung) {
  harness h("function client() coroutine.yield() end");
  h.run_clients(1);
  EXPECT_EQ(h.finished, 1);
  EXPECT_NE(h.first_error("lua_error").find("use sleep()"), std::string::npos) << h.first_error("lua_error");
}

TEST(LuaBridge, IoInsideANestedCoroutineIsAClearError) {
  harness h(R"(
    function client()
      local co = coroutine.create(function() sleep(1) end)
      local ok, err = coroutine.resume(co)
      metrics.counter(err:find("nested coroutine", 1, true) and "clear" or "unclear")
    end)");
  h.run_clients(1);
  EXPECT_EQ(h.counter("clear"), 1);
}

TEST(LuaBridge, IterationsRepeatTheClientFunction) {
  harness h("function client() metrics.counter('ran') end");
  h.run_clients(2, 3);
  EXPECT_EQ(h.counter("ran"), 6);
  EXPECT_EQ(h.counter("iterations"), 6);
}

TEST(LuaBridge, ChecksCountPassesAndKeepTheFirstFailureDetail) {
  harness h(R"(
    function client()
      check("even", vu.id % 2 == 0, { id = vu.id })
    end)");
  h.run_clients(4);
  const auto& c = h.rec.checks().at("even");
  EXPECT_EQ(c.passes, 2u);
  EXPECT_EQ(c.fails, 2u);
  EXPECT_EQ(c.first_failure, R"({"id":1})");
}

// Lua -> JSON -> Lua -> JSON: the text is checked as JSON (key order aside, Lua tables keep
// none) against what the table holds, and the decoded table is checked value by value.
TEST(LuaBridge, JsonRoundTripKeepsArraysNullAndNesting) {
  harness h(R"(
    original = { a = { 1, 2, { b = json.null } }, e = json.array(), s = "q\"\n", x = 0.5, n = 3, t = true,
                 u = "h\u{e9}" }
    text = json.encode(original)
    back = json.decode(text)
    again = json.encode(back)
    local problems = {}
    local function expect(ok, what) if not ok then problems[#problems + 1] = what end end
    expect(type(back.a) == "table" and #back.a == 3, "a has 3 elements")
    expect(back.a[1] == 1 and math.type(back.a[1]) == "integer", "a[1] is the integer 1")
    expect(back.a[2] == 2, "a[2] is 2")
    expect(type(back.a[3]) == "table" and back.a[3].b == json.null, "a[3].b is json.null")
    expect(type(back.e) == "table" and next(back.e) == nil, "e is empty")
    expect(back.s == "q\"\n", "s keeps its quote and newline")
    expect(back.x == 0.5 and math.type(back.x) == "float", "x is 0.5")
    expect(back.n == 3 and math.type(back.n) == "integer", "n is the integer 3")
    expect(back.t == true, "t is true")
    expect(back.u == "h\u{e9}", "u keeps its UTF-8")
    decoded_problems = table.concat(problems, "; ")
    function client()
      metrics.counter(json.encode(json.decode("[]")) == "[]" and "empty_array" or "lost")
      local v, err = json.decode("{oops")
      metrics.counter(v == nil and err:find("invalid JSON", 1, true) and "bad_json_reported" or "bad")
      local ok, e = pcall(json.encode, { f = print })
      metrics.counter(not ok and e:find("$.f", 1, true) and "path_named" or tostring(e))
      -- A NUL in the key on the path must not cut the reason off (found by tests/fuzz).
      local ok2, e2 = pcall(json.encode, { ["k\0ey"] = print })
      metrics.counter(not ok2 and e2:find("cannot encode", 1, true) and "nul_key_reason_kept" or tostring(e2))
      metrics.counter(json.encode({ x = 0.5, n = 3 }):find('"x":0.5', 1, true) and "plain_numbers" or "odd")
    end)");
  h.run_clients(1);
  for (const char* name : {"empty_array", "bad_json_reported", "path_named", "nul_key_reason_kept", "plain_numbers"})
    EXPECT_EQ(h.counter(name), 1) << name;
  auto global = [&](const char* name) {
    lua_getglobal(h.lua.get(), name);
    std::string value = lua_isstring(h.lua.get(), -1) ? lua_tostring(h.lua.get(), -1) : "(not a string)";
    lua_pop(h.lua.get(), 1);
    return value;
  };
  EXPECT_EQ(global("decoded_problems"), "");
  auto expected = boost::json::parse(R"({"a":[1,2,{"b":null}],"e":[],"s":"q\"\n","x":0.5,"n":3,"t":true,)"
                                     "\"u\":\"h\xc3\xa9\"}");
  boost::system::error_code ec;
  auto text = boost::json::parse(global("text"), ec);
  ASSERT_FALSE(ec) << global("text");
  EXPECT_EQ(text, expected) << global("text");
  auto again = boost::json::parse(global("again"), ec);
  ASSERT_FALSE(ec) << global("again");
  EXPECT_EQ(again, expected) << global("again");
  EXPECT_TRUE(text.at("a").as_array()[0].is_int64()) << "integers stay integers";
  EXPECT_TRUE(text.at("x").is_double());
}

TEST(ScenarioOptions, ReadsEveryOptionAndThresholdLists) {
  lua_state lua;
  lua.run_file(write_script(R"(
    options = { target = "ws://h:1/", vus = 5, duration = "30s", ramp_up = 2000, iterations = 2,
                thresholds = { ["ws_connecting.p99"] = "< 200", checks = { "rate > 0.9", "rate < 1.1" } } }
    function client() end)"));
  auto o = read_scenario_options(lua.get(), "s.lua");
  EXPECT_EQ(*o.target, "ws://h:1/");
  EXPECT_EQ(*o.vus, 5);
  EXPECT_EQ(o.duration->count(), 30'000);
  EXPECT_EQ(o.ramp_up->count(), 2'000);
  EXPECT_EQ(*o.iterations, 2);
  EXPECT_EQ(o.thresholds.size(), 3u);
  EXPECT_TRUE(o.has_client);
}

TEST(ScenarioOptions, UnknownOrMistypedOptionsNameTheProblem) {
  struct bad {
    const char* script;
    const char* says;
  };
  for (auto [script, says] : {bad{"options = { vuss = 3 }", "options.vuss is not a known option"},
                              bad{"options = { vus = 0 }", "options.vus must be at least 1"},
                              bad{"options = { vus = 'many' }", "options.vus must be a number"},
                              bad{"options = { duration = 'soon' }", "options.duration"},
                              bad{"options = { thresholds = { x = 5 } }", "thresholds[\"x\"]"},
                              bad{"options = 3", "`options` must be a table"}}) {
    lua_state lua;
    lua.run_file(write_script(script));
    try {
      read_scenario_options(lua.get(), "s.lua");
      ADD_FAILURE() << script << " was accepted";
    } catch (const scenario_error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  }
}

TEST(LuaState, SyntaxErrorsNameFileAndLine) {
  lua_state lua;
  auto path = write_script("local x = \n= 2\n");
  try {
    lua.run_file(path);
    FAIL();
  } catch (const scenario_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":2:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(lua.run_file("/nonexistent.lua"), file_error);
}

}  // namespace
}  // namespace drover::scenario
