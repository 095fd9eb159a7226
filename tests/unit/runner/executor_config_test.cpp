// Option and flag parsing of the workload models: names, stages, rates, pools, and the errors
// that name the flag or option at fault.
#include "harness/runner/executor_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "harness/common/error.hpp"
#include "harness/runner/run_config.hpp"
#include "harness/scenario/lua_state.hpp"

namespace drover::runner {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

void expect_usage_error(const std::function<void()>& f, const std::string& says) {
  try {
    f();
    ADD_FAILURE() << "accepted; expected an error saying: " << says;
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(ExecutorConfig, NamesRoundTripAndUnknownNamesListTheKnown) {
  for (auto k : {executor_kind::constant_vus, executor_kind::ramping_vus, executor_kind::constant_arrival_rate,
                 executor_kind::ramping_arrival_rate, executor_kind::per_vu_iterations})
    EXPECT_EQ(parse_executor_name(executor_name(k), "--executor"), k);
  expect_usage_error([] { parse_executor_name("shared-iterations", "--executor"); }, "--executor: unknown executor 'shared-iterations'");
  expect_usage_error([] { parse_executor_name("x", "options.executor"); }, "ramping-arrival-rate");
}

TEST(ExecutorConfig, StageFlagIsDurationColonTarget) {
  auto s = parse_stage_flag("30s:1000");
  EXPECT_EQ(s.duration, seconds(30));
  EXPECT_EQ(s.target, 1000);
  EXPECT_EQ(parse_stage_flag("1m30s:2.5").duration, seconds(90));
  EXPECT_EQ(parse_stage_flag("500ms:0").target, 0);
  for (const char* bad : {"30s", ":10", "30s:", "soon:10", "30s:ten", "30s:-1", "30s:10x"})
    expect_usage_error([bad] { parse_stage_flag(bad); }, "--stage");
}

TEST(ExecutorConfig, DefaultIsConstantVusAsBefore) {
  scenario::scenario_options o;
  o.vus = 7;
  auto e = resolve_executor(o, {}, std::nullopt);
  EXPECT_EQ(e.kind, executor_kind::constant_vus);
  EXPECT_EQ(e.vus, 7);
  EXPECT_EQ(resolve_executor(o, {}, 3).vus, 3) << "--vus wins";
  expect_usage_error([] { resolve_executor({}, {}, 0); }, "--vus must be at least 1");
}

TEST(ExecutorConfig, ConstantArrivalRateNeedsRateAndPool) {
  executor_flags f;
  f.executor = "constant-arrival-rate";
  expect_usage_error([&] { resolve_executor({}, f, std::nullopt); }, "needs a rate");
  f.rate = 20;
  expect_usage_error([&] { resolve_executor({}, f, std::nullopt); }, "--pre-allocated-vus");
  f.pre_allocated_vus = 5;
  auto e = resolve_executor({}, f, std::nullopt);
  EXPECT_EQ(e.rate, 20);
  EXPECT_EQ(e.time_unit, seconds(1));
  EXPECT_EQ(e.pre_allocated_vus, 5);
  EXPECT_EQ(e.max_vus, 5) << "max_vus defaults to the pre-allocated pool";
  EXPECT_EQ(max_clients(e), 5);
  f.max_vus = 4;
  expect_usage_error([&] { resolve_executor({}, f, std::nullopt); }, "--max-vus (4) must not be below --pre-allocated-vus (5)");
  f.max_vus = 50;
  EXPECT_EQ(max_clients(resolve_executor({}, f, std::nullopt)), 50);
  f.rate = 0;
  expect_usage_error([&] { resolve_executor({}, f, std::nullopt); }, "--rate");
}

TEST(ExecutorConfig, OptionsGiveTheModelAndFlagsWin) {
  scenario::scenario_options o;
  o.executor = "ramping-arrival-rate";
  o.start_rate = 2;
  o.stages = {{seconds(5), 10}};
  o.pre_allocated_vus = 3;
  o.max_vus = 9;
  o.time_unit = milliseconds(500);
  auto e = resolve_executor(o, {}, std::nullopt);
  EXPECT_EQ(e.kind, executor_kind::ramping_arrival_rate);
  EXPECT_EQ(e.rate, 2);
  EXPECT_EQ(e.time_unit, milliseconds(500));
  EXPECT_EQ(e.max_vus, 9);
  executor_flags f;
  f.stages = {{seconds(1), 1}, {seconds(1), 2}};
  f.max_vus = 12;
  e = resolve_executor(o, f, std::nullopt);
  EXPECT_EQ(e.stages.size(), 2u);
  EXPECT_EQ(e.max_vus, 12);
}

TEST(ExecutorConfig, MisplacedSettingsAreNamed) {
  executor_flags f;
  f.executor = "ramping-vus";
  expect_usage_error([&] { resolve_executor({}, f, std::nullopt); }, "ramping-vus needs stages");
  f.stages = {{seconds(1), 0}};
  expect_usage_error([&] { resolve_executor({}, f, std::nullopt); }, "no stage has a target of at least 1");
  executor_flags g;
  g.stages = {{seconds(1), 3}};
  expect_usage_error([&] { resolve_executor({}, g, std::nullopt); }, "apply to ramping-vus and ramping-arrival-rate");
  executor_flags h;
  h.rate = 5;
  expect_usage_error([&] { resolve_executor({}, h, std::nullopt); }, "--rate, --time-unit");
}

TEST(RunConfigModels, StagedModelsLastTheirStagesAndRefuseDuration) {
  cli_overrides f;
  f.model.executor = "ramping-vus";
  f.model.stages = {{seconds(2), 4}, {seconds(3), 0}};
  auto c = resolve_config("s.lua", {}, f, 8);
  EXPECT_EQ(c.duration, seconds(5));
  EXPECT_EQ(c.model.vus, 0) << "ramping-vus starts from 0 clients unless told";
  EXPECT_EQ(c.workers, 4) << "no more workers than the most clients";
  f.duration = seconds(9);
  expect_usage_error([&] { resolve_config("s.lua", {}, f, 8); }, "--duration does not apply to ramping-vus");
}

TEST(RunConfigModels, PerVuIterationsAndArrivalRateDurations) {
  cli_overrides f;
  f.model.executor = "per-vu-iterations";
  f.vus = 3;
  auto c = resolve_config("s.lua", {}, f, 2);
  EXPECT_EQ(c.iterations, 1) << "one iteration each unless told";
  EXPECT_EQ(c.duration, default_duration_with_iterations) << "bounded by the default max_duration";
  scenario::scenario_options o;
  o.max_duration = seconds(7);
  o.iterations = 4;
  c = resolve_config("s.lua", o, f, 2);
  EXPECT_EQ(c.duration, seconds(7));
  EXPECT_EQ(c.iterations, 4);

  cli_overrides a;
  a.model.executor = "constant-arrival-rate";
  a.model.rate = 10;
  a.model.pre_allocated_vus = 2;
  expect_usage_error([&] { resolve_config("s.lua", {}, a, 2); }, "needs a duration");
  a.duration = seconds(3);
  a.iterations = 5;
  expect_usage_error([&] { resolve_config("s.lua", {}, a, 2); }, "--iterations applies to");
  a.iterations.reset();
  c = resolve_config("s.lua", {}, a, 8);
  EXPECT_EQ(c.duration, seconds(3));
  EXPECT_EQ(c.workers, 2) << "no more workers than the pool's maximum";
}

TEST(RunConfigModels, ShardMustBeInRangeAndGetAClient) {
  cli_overrides f;
  f.vus = 2;
  f.duration = seconds(1);
  f.shard_index = 1;
  f.shard_count = 2;
  EXPECT_EQ(resolve_config("s.lua", {}, f, 4).workers, 1);
  f.shard_count = 3;
  f.shard_index = 2;
  expect_usage_error([&] { resolve_config("s.lua", {}, f, 4); }, "gets no client");
  f.shard_index = 3;
  expect_usage_error([&] { resolve_config("s.lua", {}, f, 4); }, "--shard");
}

std::string write_script(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/drover-unit-runner-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".lua";
  std::ofstream(path) << text;
  return path;
}

TEST(ScenarioOptionsModels, LuaStagesRatesAndK6Spellings) {
  scenario::lua_state lua;
  lua.run_file(write_script(R"(
    options = { executor = "ramping-arrival-rate", startRate = 5, timeUnit = "1m", preAllocatedVUs = 4, maxVUs = 20,
                stages = { { duration = "30s", target = 100 }, { duration = 2000, target = 0 } } }
    function client() end)"));
  auto o = scenario::read_scenario_options(lua.get(), "s.lua");
  EXPECT_EQ(*o.executor, "ramping-arrival-rate");
  EXPECT_EQ(*o.start_rate, 5);
  EXPECT_EQ(*o.time_unit, std::chrono::minutes(1));
  EXPECT_EQ(*o.pre_allocated_vus, 4);
  EXPECT_EQ(*o.max_vus, 20);
  ASSERT_EQ(o.stages.size(), 2u);
  EXPECT_EQ(o.stages[0].duration, seconds(30));
  EXPECT_EQ(o.stages[0].target, 100);
  EXPECT_EQ(o.stages[1].duration, milliseconds(2000));
}

TEST(ScenarioOptionsModels, BadStagesNameTheStage) {
  struct bad {
    const char* script;
    const char* says;
  };
  for (const auto& [script, says] : std::vector<bad>{
           {"options = { stages = 5 }", "options.stages must be a list"},
           {"options = { stages = {} }", "at least one stage"},
           {"options = { stages = { { target = 3 } } }", "options.stages[1].duration is missing"},
           {"options = { stages = { { duration = '1s' }, } }", "options.stages[1].target is missing"},
           {"options = { stages = { { duration = '1s', target = 1 }, { duration = 'x', target = 2 } } }",
            "options.stages[2].duration"},
           {"options = { stages = { { duration = '1s', target = -2 } } }", "options.stages[1].target must be at least"},
           {"options = { rate = 'fast' }", "options.rate must be a number"},
           {"options = { preAllocatedVUs = 0 }", "options.pre_allocated_vus must be at least 1"},
       }) {
    scenario::lua_state lua;
    lua.run_file(write_script(std::string(script) + "\nfunction client() end"));
    try {
      scenario::read_scenario_options(lua.get(), "s.lua");
      ADD_FAILURE() << script << " was accepted";
    } catch (const scenario_error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace drover::runner
