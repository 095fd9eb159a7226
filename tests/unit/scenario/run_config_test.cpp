#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/runner/run_config.hpp"

namespace drover::runner {
namespace {

TEST(RunConfig, FlagsOverrideScenarioOptions) {
  scenario::scenario_options o;
  o.target = "ws://from-script:1/";
  o.vus = 10;
  o.duration = std::chrono::seconds(30);
  cli_overrides f;
  f.vus = 50;
  f.target = "ws://from-flag:2/";
  auto c = resolve_config("s.lua", o, f, 2);
  EXPECT_EQ(c.vus, 50);
  EXPECT_EQ(c.target, "ws://from-flag:2/");
  EXPECT_EQ(c.duration, std::chrono::seconds(30));
  EXPECT_EQ(c.workers, 2);
  EXPECT_EQ(c.iterations, 0);
}

TEST(RunConfig, WithoutDurationOrIterationsEachClientRunsOnce) {
  auto c = resolve_config("s.lua", {}, {}, 4);
  EXPECT_EQ(c.iterations, 1);
  EXPECT_EQ(c.workers, 1) << "never more workers than clients";
  EXPECT_GT(c.duration.count(), 0) << "still bounded in time";
}

TEST(RunConfig, RejectsImpossibleSettings) {
  scenario::scenario_options o;
  o.duration = std::chrono::seconds(5);
  o.ramp_up = std::chrono::seconds(10);
  EXPECT_THROW(resolve_config("s.lua", o, {}, 2), usage_error);
  cli_overrides f;
  f.target = "tcp://nope";
  EXPECT_THROW(resolve_config("s.lua", {}, f, 2), usage_error);
  scenario::scenario_options t;
  t.thresholds = {{"ws_connecting.p99", "< soon"}};
  EXPECT_THROW(resolve_config("s.lua", t, {}, 2), usage_error);
}

}  // namespace
}  // namespace drover::runner
