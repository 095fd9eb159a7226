#include "harness/runner/progress_line.hpp"

#include <gtest/gtest.h>

namespace drover::runner {
namespace {

TEST(ProgressLine, ShowsEveryFigure) {
  progress_figures f;
  f.elapsed_s = 12;
  f.total = std::chrono::seconds(30);
  f.active = 45;
  f.iterations = 1234;
  f.msgs_in_per_s = 200;
  f.msgs_out_per_s = 201;
  f.errors = 3;
  f.dropped_iterations = 7;
  f.show_dropped = true;
  f.p99_ms = 12.34;
  EXPECT_EQ(format_progress(f),
            "    12.0s/30s  clients 45  iterations 1234  msgs/s in 200 out 201  errors 3  dropped 7  p99 "
            "iteration_duration 12.3ms");
}

TEST(ProgressLine, DroppedAndP99OnlyWhenTheyMeanSomething) {
  progress_figures f;
  f.total = std::chrono::seconds(5);
  auto line = format_progress(f);
  EXPECT_EQ(line.find("dropped"), std::string::npos) << line;
  EXPECT_EQ(line.find("p99"), std::string::npos) << line;
  f.p99_ms = 3;
  f.p99_of = "ws_connecting";
  EXPECT_NE(format_progress(f).find("p99 ws_connecting 3.0ms"), std::string::npos);
}

}  // namespace
}  // namespace drover::runner
