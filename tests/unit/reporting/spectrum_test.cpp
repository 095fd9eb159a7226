#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "harness/reporting/percentile_spectrum.hpp"
#include "harness/reporting/svg_spectrum.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

const json::object& trend_of(const json::object& doc, std::string_view name) {
  return doc.at("metrics").as_object().at(name).as_object();
}

double at_nines(const std::vector<spectrum_point>& points, double nines) {
  for (const auto& p : points) {
    if (std::abs(p.nines - nines) < 1e-9) return p.value;
  }
  ADD_FAILURE() << "no point at " << nines;
  return -1;
}

TEST(PercentileSpectrum, AxisPositionsAreNinesOfOneOverOneMinusP) {
  EXPECT_DOUBLE_EQ(percentile_at_nines(0), 0);
  EXPECT_NEAR(percentile_at_nines(1), 90, 1e-9);
  EXPECT_NEAR(percentile_at_nines(2), 99, 1e-9);
  EXPECT_NEAR(percentile_at_nines(5), 99.999, 1e-9);
}

TEST(PercentileSpectrum, FromHdrAgreesWithTheDocumentsPercentiles) {
  const auto doc = testing::sample_run_document();
  const auto& trend = trend_of(doc, "ws_connecting");
  const auto h = trend_histogram(trend);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->count(), 1000u);
  const auto points = percentile_spectrum(*h, 20);
  ASSERT_EQ(points.size(), 101u);
  EXPECT_DOUBLE_EQ(at_nines(points, 0), trend.at("min").to_number<double>());
  EXPECT_DOUBLE_EQ(at_nines(points, 1), trend.at("p90").to_number<double>());
  EXPECT_DOUBLE_EQ(at_nines(points, 2), trend.at("p99").to_number<double>());
  EXPECT_DOUBLE_EQ(at_nines(points, 3), trend.at("p99.9").to_number<double>());
  EXPECT_DOUBLE_EQ(points.back().value, trend.at("max").to_number<double>());  // 1000 values: 99.999 % is the max
  for (std::size_t i = 1; i < points.size(); ++i) {
    EXPECT_LE(points[i - 1].value, points[i].value) << i;
    EXPECT_LT(points[i - 1].nines, points[i].nines) << i;
  }
  // The long tail (every hundredth value is 150 ms higher) shows between p99 and p99.9.
  EXPECT_LT(at_nines(points, 1), 10);
  EXPECT_GT(at_nines(points, 3), 150);
}

TEST(PercentileSpectrum, FallsBackToTheHistogramBarsWithoutHdr) {
  auto doc = testing::sample_run_document();
  auto& trend = doc["metrics"].as_object()["message_size"].as_object();
  trend.erase("hdr");
  const auto h = trend_histogram(trend);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->count(), 40u);
  const auto points = percentile_spectrum(*h);
  EXPECT_NEAR(points.back().value, 4000, 4000 * 0.001);
  EXPECT_NEAR(at_nines(points, 0), 100.031, 0.1);  // a bar's count sits at its upper bound
}

TEST(PercentileSpectrum, NothingToDrawWithoutValues) {
  const auto doc = testing::sample_run_document();
  EXPECT_FALSE(trend_histogram(trend_of(doc, "ws_ping")).has_value());  // declared, never recorded
  EXPECT_FALSE(trend_histogram(json::object{{"hdr", json::object{{"scale", 1000}, {"counts", json::array{}}}}}));
  const json::object malformed{{"hdr", json::parse(R"({"scale":1000,"counts":[[-1,3],["x",1],[5],[2000,-4]]})")},
                               {"histogram", json::parse(R"([[1,2,"n"],[1e300,1e300,1]])")}};
  EXPECT_FALSE(trend_histogram(malformed).has_value());
  EXPECT_TRUE(percentile_spectrum(metrics::histogram{}).empty());
  EXPECT_EQ(spectrum_svg("x", {}, "ms"), "");
}

TEST(PercentileSpectrum, ChartMarksEachWholeNineWithItsValue) {
  const auto doc = testing::sample_run_document();
  const auto svg = spectrum_svg("ws_connecting", percentile_spectrum(*trend_histogram(trend_of(doc, "ws_connecting"))), "ms");
  for (std::string_view label : {">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<", ">99.999%<"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  EXPECT_NE(svg.find("<title>p99: "), std::string::npos);
  EXPECT_NE(svg.find("class=\"spectrum-line\""), std::string::npos);
}

}  // namespace
}  // namespace drover::reporting
