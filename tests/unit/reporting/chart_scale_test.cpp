#include <gtest/gtest.h>

#include "harness/reporting/chart_scale.hpp"
#include "harness/reporting/svg_timeseries.hpp"

namespace drover::reporting {
namespace {

std::vector<std::string> labels(const std::vector<time_tick>& ticks) {
  std::vector<std::string> out;
  for (const auto& t : ticks) out.push_back(t.label);
  return out;
}

TEST(ChartScale, NiceStepIsOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(nice_step(37, 4), 10);
  EXPECT_DOUBLE_EQ(nice_step(10, 4), 5);
  EXPECT_DOUBLE_EQ(nice_step(8, 4), 2);
  EXPECT_DOUBLE_EQ(nice_step(0.3, 4), 0.1);
  EXPECT_DOUBLE_EQ(nice_step(0, 4), 1);
  EXPECT_DOUBLE_EQ(nice_step(-3, 4), 1);
}

TEST(ChartScale, ValueAxisStartsAtZeroAndCoversTheMaximum) {
  const auto axis = make_value_axis(37);
  EXPECT_DOUBLE_EQ(axis.top, 40);
  EXPECT_EQ(axis.ticks, (std::vector<double>{0, 10, 20, 30, 40}));
  EXPECT_DOUBLE_EQ(make_value_axis(40).top, 40);  // a maximum on a tick is not padded
  EXPECT_EQ(make_value_axis(2, 4).ticks, (std::vector<double>{0, 0.5, 1, 1.5, 2}));
  EXPECT_EQ(make_value_axis(2, 4, true).ticks, (std::vector<double>{0, 1, 2}));  // counts: no half
  const auto flat = make_value_axis(0);           // an all-zero series still has an axis
  EXPECT_DOUBLE_EQ(flat.top, 1);
  EXPECT_EQ(flat.ticks, (std::vector<double>{0, 1}));
}

TEST(TimeAxis, StepsAreOnesAReaderExpects) {
  EXPECT_EQ(time_step_ms(5'500, 8), 1'000);
  EXPECT_EQ(time_step_ms(10'000, 8), 2'000);
  EXPECT_EQ(time_step_ms(120'000, 8), 30'000);
  EXPECT_EQ(time_step_ms(7'200'000, 8), 1'800'000);  // two hours: every 30 minutes
  EXPECT_EQ(time_step_ms(800, 8), 200);
}

TEST(TimeAxis, TicksOfARunAndOfAZoomedRange) {
  EXPECT_EQ(labels(time_ticks(0, 5'500)), (std::vector<std::string>{"0s", "1s", "2s", "3s", "4s", "5s"}));
  EXPECT_EQ(labels(time_ticks(0, 7'200'000)), (std::vector<std::string>{"0s", "30m", "1h", "1h30m", "2h"}));
  // A zoom starts between ticks: the first tick is the next whole step, and sub-second steps
  // read as seconds with decimals.
  const auto zoomed = time_ticks(1'500, 2'300);
  EXPECT_EQ(labels(zoomed), (std::vector<std::string>{"1.6s", "1.8s", "2s", "2.2s"}));
  EXPECT_EQ(zoomed.front().at_ms, 1'600);
  EXPECT_TRUE(time_ticks(5, 5).empty());
}

TEST(TimeAxis, Labels) {
  EXPECT_EQ(time_label(0), "0s");
  EXPECT_EQ(time_label(500), "500ms");
  EXPECT_EQ(time_label(1'050), "1.05s");
  EXPECT_EQ(time_label(90'000), "1m30s");
  EXPECT_EQ(time_label(3'600'000), "1h");
  EXPECT_EQ(time_label(3'605'000), "1h5s");
  EXPECT_EQ(time_label(-2'000), "-2s");
}

TEST(TimeChart, PointsSitAtIntervalMidpointsOnTheAxisScaleAndGapsBreakTheLine) {
  time_chart chart;
  chart.title = "t";
  chart.start_ms = {0, 1000, 2000, 3000};
  chart.end_ms = {1000, 2000, 3000, 3500};
  chart.lines.push_back({"v", "s0", {0.0, 5.0, std::nullopt, 10.0}, false});
  const std::string svg = time_chart_figure(chart);
  // Plot coordinates: x in ms (the midpoint), y = 1000 - 1000 * value / axis top (10).
  EXPECT_NE(svg.find("<polyline points=\"500.0,1000.0 1500.0,500.0\"/>"), std::string::npos) << svg;
  // The last interval is shorter (its midpoint is 3250) and alone after the gap: a dot.
  EXPECT_NE(svg.find("<polyline points=\"3250.0,0.0 3250.0,0.0\"/>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("viewBox=\"0 0 3500 1000.0\""), std::string::npos);
  EXPECT_NE(svg.find("data-intervals=\"4\""), std::string::npos);
  EXPECT_EQ(time_chart_figure(time_chart{}), "");
}

TEST(TimeChart, SeriesDataIsEscapedForItsAttribute) {
  time_chart chart;
  chart.title = "<b>t</b>";
  chart.start_ms = {0};
  chart.end_ms = {1000};
  chart.lines.push_back({"\"><img src=x onerror=alert(1)>", "s0", {1.0}, false});
  const std::string svg = time_chart_figure(chart);
  EXPECT_EQ(svg.find("<img"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&quot;&gt;&lt;img"), std::string::npos);
}

}  // namespace
}  // namespace drover::reporting
