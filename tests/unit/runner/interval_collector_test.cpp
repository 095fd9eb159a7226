// Results over time, the controller's side (execute_run with interval sinks, no network): the
// intervals are aligned on the run's start and contiguous, the last one ends at the run's end,
// their counts add up to the run's totals exactly, and the sink contract holds (in order,
// on_end once, a throwing sink dropped without stopping the others).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "harness/common/error.hpp"
#include "harness/runner/run_controller.hpp"
#include "harness/scenario/lua_state.hpp"
#include "harness/scenario/scenario_options.hpp"

namespace drover::runner {
namespace {

using std::chrono::milliseconds;

std::string write_script(const std::string& text) {
  static int n = 0;
  std::string path = "/tmp/drover-unit-intervals-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".lua";
  std::ofstream(path) << text;
  return path;
}

run_config config_for(const std::string& path, int vus, int workers, milliseconds duration) {
  scenario::lua_state lua;
  lua.run_file(path);
  cli_overrides flags;
  flags.vus = vus;
  flags.workers = workers;
  flags.duration = duration;
  flags.quiet = true;
  return resolve_config(path, scenario::read_scenario_options(lua.get(), path), flags, 2);
}

struct recording_sink : metrics::interval_sink {
  struct seen {
    std::int64_t start, end;
    std::uint64_t iterations, checks_passed, work;
  };
  std::vector<seen> points;
  int ends = 0;
  bool interval_after_end = false;
  void on_interval(const metrics::interval_point& p) override {
    if (ends > 0) interval_after_end = true;
    auto it = p.trends.find("work");
    points.push_back({p.start_ms, p.end_ms, p.iterations, p.checks_passed, it == p.trends.end() ? 0 : it->second.values.count()});
  }
  void on_end() override { ++ends; }
};

struct throwing_sink : metrics::interval_sink {
  int intervals = 0, ends = 0;
  void on_interval(const metrics::interval_point&) override {
    ++intervals;
    throw std::runtime_error("test sink: disk full");
  }
  void on_end() override { ++ends; }
};

const char* busy_script = R"(
function client()
  metrics.trend("work", 5)
  check("ok", true)
  sleep(20)
end
)";

TEST(IntervalCollector, IntervalsAreAlignedContiguousAndAddUpToTheRunTotals) {
  auto config = config_for(write_script(busy_script), 4, 2, milliseconds(450));
  recording_sink sink;
  throwing_sink broken;
  run_outputs outputs{milliseconds(100), {&broken, &sink}};
  std::atomic<int> interrupts{0};
  auto result = execute_run(config, "", interrupts, {}, outputs);

  ASSERT_FALSE(sink.points.empty());
  EXPECT_EQ(sink.ends, 1);
  EXPECT_FALSE(sink.interval_after_end);
  EXPECT_EQ(broken.intervals, 1);  // dropped after its first failure
  EXPECT_EQ(broken.ends, 1);
  EXPECT_EQ(sink.points.front().start, 0);
  std::uint64_t iterations = 0, passed = 0, work = 0;
  for (std::size_t i = 0; i < sink.points.size(); ++i) {
    const auto& p = sink.points[i];
    EXPECT_EQ(p.start % 100, 0) << i;
    EXPECT_GT(p.end, p.start) << i;
    if (i > 0) EXPECT_EQ(p.start, sink.points[i - 1].end) << i;
    if (i + 1 < sink.points.size()) EXPECT_EQ(p.end % 100, 0) << i;
    iterations += p.iterations;
    passed += p.checks_passed;
    work += p.work;
  }
  // The last interval ends at the run's end (it may be shorter than the others).
  EXPECT_EQ(sink.points.back().end, static_cast<std::int64_t>(result.elapsed_seconds * 1000.0));
  EXPECT_EQ(iterations, static_cast<std::uint64_t>(result.merged.find("iterations")->counter->total));
  EXPECT_EQ(passed, result.merged.checks().at("ok").passes);
  EXPECT_EQ(work, result.merged.find("work")->trend->values.count());
  EXPECT_GT(work, 0u);
}

TEST(IntervalCollector, SinksGetOnEndOnceWhenTheScenarioFailsToLoad) {
  auto config = config_for(write_script("x = 1\n"), 1, 1, milliseconds(200));  // no client function
  recording_sink sink;
  run_outputs outputs{milliseconds(100), {&sink}};
  std::atomic<int> interrupts{0};
  EXPECT_THROW(execute_run(config, "", interrupts, {}, outputs), scenario_error);
  EXPECT_TRUE(sink.points.empty());
  EXPECT_EQ(sink.ends, 1);
}

TEST(IntervalCollector, NoIntervalMeansNoPointButOnEnd) {
  auto config = config_for(write_script(busy_script), 1, 1, milliseconds(150));
  recording_sink sink;
  run_outputs outputs{milliseconds(0), {&sink}};
  std::atomic<int> interrupts{0};
  execute_run(config, "", interrupts, {}, outputs);
  EXPECT_TRUE(sink.points.empty());
  EXPECT_EQ(sink.ends, 1);
}

}  // namespace
}  // namespace drover::runner
