#include "harness/export/prometheus_naming.hpp"

#include <gtest/gtest.h>

#include "harness/common/error.hpp"

namespace drover::exporting {
namespace {

TEST(PrometheusNaming, MetricNamesKeepValidCharactersAndReplaceTheRest) {
  EXPECT_EQ(prometheus_metric_name("ws_connecting"), "ws_connecting");
  EXPECT_EQ(prometheus_metric_name("my-trend.ms"), "my_trend_ms");
  EXPECT_EQ(prometheus_metric_name("a:b"), "a:b");
  EXPECT_EQ(prometheus_metric_name("9lives"), "_9lives");
  EXPECT_EQ(prometheus_metric_name("é"), "__");  // two UTF-8 bytes, two underscores
  EXPECT_EQ(prometheus_metric_name(""), "_");
}

TEST(PrometheusNaming, LabelNamesHaveNoColonAndNoReservedPrefix) {
  EXPECT_EQ(prometheus_label_name("scenario"), "scenario");
  EXPECT_EQ(prometheus_label_name("a:b"), "a_b");
  EXPECT_EQ(prometheus_label_name("__name__"), "tag__name__");
  EXPECT_EQ(prometheus_label_name("1x"), "_1x");
  EXPECT_EQ(prometheus_label_name(""), "tag");
}

TEST(PrometheusNaming, LabelFlagSplitsAtTheFirstEquals) {
  auto [key, value] = parse_prometheus_label_flag("testid=nightly=42");
  EXPECT_EQ(key, "testid");
  EXPECT_EQ(value, "nightly=42");
}

TEST(PrometheusNaming, LabelFlagMistakesNameTheFlagAndTheRule) {
  auto message = [](const char* text) {
    try {
      parse_prometheus_label_flag(text);
    } catch (const usage_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("testid").find("--prometheus-label 'testid': expected KEY=VALUE"), std::string::npos);
  EXPECT_NE(message("=x").find("label name before '=' is empty"), std::string::npos);
  EXPECT_NE(message("testid=").find("value after '=' is empty"), std::string::npos);
  EXPECT_NE(message("test-id=x").find("'test-id' is not a Prometheus label name"), std::string::npos);
  EXPECT_NE(message("__name__=x").find("is not a Prometheus label name"), std::string::npos);
  EXPECT_NE(message("quantile=x").find("meaning of its own"), std::string::npos);
}

}  // namespace
}  // namespace drover::exporting
