// Mixed fleets (options.scenarios): the scenarios table read from Lua, each scenario resolved to
// its own model, the canonical tagged sub-metric names, tagged thresholds and the errors that
// name the scenario and the key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "harness/common/error.hpp"
#include "harness/metrics/thresholds.hpp"
#include "harness/runner/run_config.hpp"
#include "harness/scenario/lua_state.hpp"
#include "harness/scenario/scenario_options.hpp"

namespace drover::runner {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string write_fleet_script(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/drover-unit-fleet-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".lua";
  std::ofstream(path) << text;
  return path;
}

scenario::scenario_options read(const std::string& script) {
  scenario::lua_state lua;
  lua.run_file(write_fleet_script(script));
  return scenario::read_scenario_options(lua.get(), "s.lua");
}

// The error read() or resolve_config() throws, or "" when the file was accepted.
std::string error_of(const std::string& script, const cli_overrides& flags = {}) {
  try {
    auto o = read(script);
    resolve_config("s.lua", o, flags, 4);
  } catch (const scenario_error& e) {
    return e.what();
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

const char* fleet = R"(
  options = {
    scenarios = {
      phones = { executor = "constant-vus", vus = 6, duration = "4s", exec = "phone", tags = { kind = "phone" } },
      wearables = { executor = "constant-arrival-rate", rate = 20, time_unit = "1s", duration = "4s",
                    pre_allocated_vus = 4, exec = "wearable", startTime = "2s", target = "ws://127.0.0.1:9/w" },
    },
    target = "ws://127.0.0.1:9/",
    graceful_stop = "1s",
    thresholds = { ["iteration_duration{scenario:wearables}.p99"] = "< 500" },
  }
  function phone() end
  function wearable() end
)";

TEST(MixedFleetOptions, ScenariosTableIsReadSortedByName) {
  auto o = read(fleet);
  ASSERT_EQ(o.scenarios.size(), 2u);
  const auto& p = o.scenarios[0];
  EXPECT_EQ(p.name, "phones");
  EXPECT_EQ(p.exec, "phone");
  EXPECT_EQ(*p.model.executor, "constant-vus");
  EXPECT_EQ(*p.model.vus, 6);
  EXPECT_EQ(*p.model.duration, seconds(4));
  EXPECT_EQ(p.tags.at("kind"), "phone");
  EXPECT_EQ(p.start_time, milliseconds(0));
  const auto& w = o.scenarios[1];
  EXPECT_EQ(w.name, "wearables");
  EXPECT_EQ(*w.model.rate, 20);
  EXPECT_EQ(*w.model.pre_allocated_vus, 4);
  EXPECT_EQ(w.start_time, seconds(2));  // k6's startTime spelling
  EXPECT_EQ(*w.model.target, "ws://127.0.0.1:9/w");
  EXPECT_FALSE(o.has_client);  // exec functions only: no `client` needed
}

TEST(MixedFleetOptions, EachScenarioResolvesToItsOwnModel) {
  cli_overrides flags;
  flags.workers = 4;
  auto c = resolve_config("s.lua", read(fleet), flags, 4);
  ASSERT_EQ(c.scenarios.size(), 2u);
  const auto& p = c.scenarios[0];
  const auto& w = c.scenarios[1];
  EXPECT_EQ(p.model.kind, executor_kind::constant_vus);
  EXPECT_EQ(p.vus, 6);
  EXPECT_EQ(p.duration, seconds(4));
  EXPECT_EQ(p.target, "ws://127.0.0.1:9/");  // the top level's
  EXPECT_EQ(p.graceful_stop, seconds(1));   // the top level's default
  EXPECT_EQ(w.model.kind, executor_kind::constant_arrival_rate);
  EXPECT_EQ(w.model.rate, 20);
  EXPECT_EQ(w.model.pre_allocated_vus, 4);
  EXPECT_EQ(w.target, "ws://127.0.0.1:9/w");  // its own
  EXPECT_EQ(w.start_time, seconds(2));
  // The run lasts until the last scenario ends; the workers are shared out.
  EXPECT_EQ(c.duration, seconds(6));
  EXPECT_EQ(p.workers + w.workers, 4);
  EXPECT_EQ(c.workers, 4);
  EXPECT_EQ(c.vus, 10);
  ASSERT_EQ(c.thresholds.size(), 1u);
  EXPECT_EQ(c.thresholds[0].metric, "iteration_duration{scenario:wearables}");
}

TEST(MixedFleetOptions, TagListIsSortedByKeyWithTheScenarioName) {
  cli_overrides flags;
  auto c = resolve_config("s.lua", read(fleet), flags, 2);
  EXPECT_EQ(tag_list(c.scenarios[0]), "kind:phone,scenario:phones");
  EXPECT_EQ(tag_list(c.scenarios[1]), "scenario:wearables");
  EXPECT_TRUE(tags_match(c.scenarios[0], {{"kind", "phone"}}));
  EXPECT_TRUE(tags_match(c.scenarios[0], {{"scenario", "phones"}}));
  EXPECT_FALSE(tags_match(c.scenarios[1], {{"kind", "phone"}}));
}

TEST(MixedFleetOptions, ShardSplitsEveryScenario) {
  cli_overrides flags;
  flags.shard_count = 2;
  flags.shard_index = 1;
  auto c = resolve_config("s.lua", read(fleet), flags, 2);
  for (const auto& s : c.scenarios) {
    EXPECT_EQ(s.shard_index, 1) << s.scenario_name;
    EXPECT_EQ(s.shard_count, 2) << s.scenario_name;
  }
}

TEST(MixedFleetOptions, SingleScenarioFilesAreUnchanged) {
  auto o = read("options = { vus = 3, duration = '2s' }\nfunction client() end");
  EXPECT_TRUE(o.scenarios.empty());
  auto c = resolve_config("s.lua", o, {}, 2);
  EXPECT_TRUE(c.scenarios.empty());
  EXPECT_EQ(c.vus, 3);
}

TEST(MixedFleetOptions, MistakesNameTheScenarioAndTheKey) {
  struct bad {
    std::string script;
    const char* says;
  };
  const std::string fns = "\nfunction phone() end\nfunction client() end\n";
  for (const auto& [script, says] : std::vector<bad>{
           {"options = { scenarios = { phones = { vus = 2, duraton = '1s' } } }",
            "options.scenarios.phones.duraton is not a known scenario key"},
           {"options = { scenarios = { phones = { vus = 2, duration = '1s', exec = 'nope' } } }",
            "options.scenarios.phones.exec: no global function `nope`"},
           {"options = { scenarios = { a = { executor = 'constant-arrival-rate', duration = '1s' } } }",
            "options.scenarios.a: constant-arrival-rate needs a rate"},
           {"options = { scenarios = { a = { vus = 1, duration = '1s' },"
            " b = { executor = 'ramping-vus', duration = '1s' } } }",
            "options.scenarios.b: ramping-vus needs stages"},
           {"options = { scenarios = { a = { vus = 1, duration = '1s', tags = { scenario = 'x' } } } }",
            "options.scenarios.a.tags.scenario"},
           {"options = { scenarios = { a = { vus = 1, duration = '1s', tags = { kind = 'a,b' } } } }",
            "options.scenarios.a.tags.kind"},
           {"options = { scenarios = {} }", "options.scenarios must name at least one scenario"},
           {"options = { vus = 3, scenarios = { a = { vus = 1, duration = '1s' } } }",
            "options.vus sits beside options.scenarios"},
           {"options = { scenarios = { a = { vus = 1, duration = '1s' } },"
            " thresholds = { ['iterations{scenario:b}.count'] = '> 1' } }",
            "no scenario has the tags {scenario:b}"},
           {"options = { vus = 1, thresholds = { ['iterations{scenario:b}.count'] = '> 1' } }",
            "tagged sub-metrics exist only in a file with options.scenarios"},
       }) {
    EXPECT_NE(error_of(script + fns).find(says), std::string::npos) << script << "\n-> " << error_of(script + fns);
  }
  cli_overrides flags;
  flags.vus = 3;
  EXPECT_NE(error_of(std::string(fleet), flags).find("--vus does not apply to a file with options.scenarios"),
            std::string::npos);
}

TEST(MixedFleetOptions, WeightsSplitTheTopLevelVusExactly) {
  auto c = resolve_config("s.lua", read(R"(
    options = { vus = 101, scenarios = {
      phones = { weight = 60, duration = "1s" }, wearables = { weight = 30, duration = "1s" },
      browsers = { weight = 8, duration = "1s" }, dashboards = { weight = 2, executor = "per-vu-iterations" } } }
    function client() end)"), {}, 2);
  std::map<std::string, int> vus;
  int total = 0;
  for (const auto& s : c.scenarios) total += vus[s.scenario_name] = s.vus;
  EXPECT_EQ(total, 101);
  EXPECT_EQ(vus["phones"], 61);  // 60.6 -> the largest remainder gets the spare client
  EXPECT_EQ(vus["wearables"], 30);
  EXPECT_EQ(vus["browsers"], 8);
  EXPECT_EQ(vus["dashboards"], 2);
  for (const auto& [script, says] : std::vector<std::pair<std::string, std::string>>{
           {"options = { scenarios = { a = { weight = 1, duration = '1s' } } }", "weight needs options.vus"},
           {"options = { vus = 10, scenarios = { a = { weight = 1, duration = '1s' }, b = { vus = 2, duration = '1s' } } }",
            "options.scenarios.b.weight is missing"},
           {"options = { vus = 10, scenarios = { a = { weight = 1, vus = 3, duration = '1s' } } }",
            "options.scenarios.a.vus and a weight are both given"},
           {"options = { vus = 10, scenarios = { a = { weight = 1, executor = 'constant-arrival-rate', rate = 1,"
            " duration = '1s', pre_allocated_vus = 1 } } }",
            "options.scenarios.a.weight applies to constant-vus and per-vu-iterations"},
           {"options = { vus = 2, scenarios = { a = { weight = 99, duration = '1s' }, b = { weight = 1, duration = '1s' } } }",
            "options.scenarios.b.weight gives it no client"},
           {"options = { vus = 2, scenarios = { a = { weight = 0, duration = '1s' } } }",
            "options.scenarios.a.weight must be above 0"},
       })
    EXPECT_NE(error_of(script + "\nfunction client() end").find(says), std::string::npos)
        << script << "\n-> " << error_of(script + "\nfunction client() end");
}

TEST(TaggedMetricNames, SplitAndCanonicalForm) {
  auto t = metrics::split_tagged_name("iteration_duration{scenario:phones, kind:phone}");
  EXPECT_EQ(t.metric, "iteration_duration");
  ASSERT_EQ(t.tags.size(), 2u);
  EXPECT_EQ(t.tags.at("kind"), "phone");
  EXPECT_EQ(metrics::canonical_tagged_name(t), "iteration_duration{kind:phone,scenario:phones}");
  EXPECT_EQ(metrics::canonical_tagged_name(metrics::split_tagged_name("checks")), "checks");
  for (const char* bad : {"x{", "x{a}", "x{a:}", "x{:b}", "x{a:1,a:2}", "{a:1}", "x}", "x{a:1}y"})
    EXPECT_THROW(metrics::split_tagged_name(bad), usage_error) << bad;
}

TEST(TaggedMetricNames, ThresholdsOnSubMetricsAreNormalisedAndJudged) {
  auto spec = metrics::parse_threshold("iteration_duration{scenario:wearables, kind:w}.p99", "< 500");
  EXPECT_EQ(spec.metric, "iteration_duration{kind:w,scenario:wearables}");
  EXPECT_EQ(spec.aggregation, "p99");
  auto in_expr = metrics::parse_threshold("iterations{scenario:a.b}", "count > 2");
  EXPECT_EQ(in_expr.metric, "iterations{scenario:a.b}");
  EXPECT_EQ(in_expr.aggregation, "count");
  EXPECT_THROW(metrics::parse_threshold("iterations{scenario}.count", "> 1"), usage_error);

  // Judged on the sub-metric, not on the whole metric.
  metrics::recorder phones, wearables, merged;
  for (int i = 0; i < 10; ++i) phones.add_trend("iteration_duration", 900);
  for (int i = 0; i < 10; ++i) wearables.add_trend("iteration_duration", 100);
  for (auto* r : {&phones, &wearables}) merged.merge(*r);
  merged.merge_metrics_tagged(phones, "scenario:phones");
  merged.merge_metrics_tagged(wearables, "kind:w,scenario:wearables");
  auto ok = metrics::evaluate_threshold(spec, merged, 1.0);
  EXPECT_TRUE(ok.ok) << ok.message;
  EXPECT_NEAR(*ok.actual, 100, 1);
  auto whole = metrics::evaluate_threshold(metrics::parse_threshold("iteration_duration.p99", "< 500"), merged, 1.0);
  EXPECT_FALSE(whole.ok);
  auto phones_spec = metrics::parse_threshold("iteration_duration{scenario:phones}.p99", "< 500");
  EXPECT_FALSE(metrics::evaluate_threshold(phones_spec, merged, 1.0).ok);
  // Tagged names are not tagged twice.
  metrics::recorder again;
  again.merge_metrics_tagged(merged, "scenario:x");
  for (const auto& [name, m] : again.metrics()) EXPECT_EQ(name.find("}{"), std::string::npos) << name;
  EXPECT_EQ(again.metrics().size(), 1u);
}

}  // namespace
}  // namespace drover::runner
