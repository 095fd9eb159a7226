#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "harness/common/error.hpp"
#include "harness/metrics/thresholds.hpp"

namespace {

using drover::usage_error;
using drover::metrics::parse_threshold;
using drover::metrics::threshold_spec;

// The usage_error message for a bad threshold, or "" when it parsed.
std::string parse_error(std::string_view key, std::string_view expression) {
  try {
    parse_threshold(key, expression);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

// All fields of a spec on one line: metric | aggregation | op | value | source.
std::string describe(const threshold_spec& s) {
  std::ostringstream out;
  out << s.metric << " | " << s.aggregation << " | " << s.op << " | " << s.value << " | " << s.source;
  return out.str();
}

TEST(ThresholdParse, AggregationInTheKey) {
  EXPECT_EQ(describe(parse_threshold("ws_connecting.p99", "< 200")),
            "ws_connecting | p99 | < | 200 | ws_connecting.p99 < 200");
}

TEST(ThresholdParse, AggregationInTheExpression) {
  EXPECT_EQ(describe(parse_threshold("ws_connecting", "p(99.9) < 1e3")),
            "ws_connecting | p99.9 | < | 1000 | ws_connecting p(99.9) < 1e3");
}

TEST(ThresholdParse, WhitespaceIsOptional) {
  EXPECT_EQ(describe(parse_threshold("ws_connecting.p95", "<200")), "ws_connecting | p95 | < | 200 | ws_connecting.p95 <200");
  EXPECT_EQ(describe(parse_threshold("checks", "rate>0.99")), "checks | rate | > | 0.99 | checks rate>0.99");
  EXPECT_EQ(describe(parse_threshold("  checks ", "\t rate  >=  0.5 ")), "checks | rate | >= | 0.5 | checks rate  >=  0.5");
}

TEST(ThresholdParse, AggregationAliasesAreNormalised) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"avg", "avg"},   {"mean", "avg"}, {"med", "p50"},     {"p(95)", "p95"},   {"p95", "p95"},
      {"p(99.90)", "p99.9"}, {"min", "min"}, {"max", "max"}, {"count", "count"}, {"rate", "rate"},
      {"passes", "passes"},  {"fails", "fails"}, {"value", "value"},
  };
  for (const auto& [written, normalised] : cases) {
    EXPECT_EQ(parse_threshold("t", std::string(written) + " < 1").aggregation, normalised) << written;
    EXPECT_EQ(parse_threshold("t." + std::string(written), "< 1").aggregation, normalised) << written;
  }
}

TEST(ThresholdParse, EveryOperator) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"<", "<"},   {"<=", "<="}, {">", ">"},    {">=", ">="},
      {"==", "=="}, {"!=", "!="}, {"===", "=="}, {"!==", "!="},
  };
  for (const auto& [written, op] : cases) {
    EXPECT_EQ(parse_threshold("t.avg", std::string(written) + " 1").op, op) << written;
  }
}

TEST(ThresholdParse, NumberForms) {
  EXPECT_EQ(parse_threshold("t.avg", "< 2.5").value, 2.5);
  EXPECT_EQ(parse_threshold("t.avg", "> -3").value, -3);
  EXPECT_EQ(parse_threshold("t.avg", "< +4").value, 4);
  EXPECT_EQ(parse_threshold("t.avg", "< 1.5e-3").value, 0.0015);
}

TEST(ThresholdParse, MetricNamesMayContainDots) {
  const threshold_spec s = parse_threshold("app.login.p(99)", "< 10");
  EXPECT_EQ(s.metric, "app.login");
  EXPECT_EQ(s.aggregation, "p99");
  EXPECT_EQ(parse_threshold("app.login", "p(99) < 10").metric, "app.login");
}

TEST(ThresholdParse, BadNumberIsNamed) {
  EXPECT_EQ(parse_error("ws_connecting.p99", "< abc"),
            "threshold \"ws_connecting.p99\": cannot parse \"< abc\": expected a number");
  EXPECT_NE(parse_error("ws_connecting.p99", "< 200ms").find("unexpected \"ms\" after the number"), std::string::npos);
  EXPECT_NE(parse_error("ws_connecting.p99", "<").find("expected a number"), std::string::npos);
  EXPECT_NE(parse_error("ws_connecting.p99", "< nan").find("expected a number"), std::string::npos);
  EXPECT_NE(parse_error("ws_connecting.p99", "< inf").find("expected a number"), std::string::npos);
  EXPECT_NE(parse_error("ws_connecting.p99", "< 1e999").find("expected a number"), std::string::npos);
}

TEST(ThresholdParse, MissingOperatorIsNamed) {
  EXPECT_NE(parse_error("t", "p95 200").find("expected an operator"), std::string::npos);
  EXPECT_NE(parse_error("t.p95", "= 200").find("expected an operator"), std::string::npos);
  EXPECT_NE(parse_error("t.p95", "200").find("expected an operator (<, <=, >, >=, ==, !=) before the number"),
            std::string::npos);
}

TEST(ThresholdParse, EmptyExpressionIsNamed) {
  EXPECT_NE(parse_error("t.p95", "").find("the expression is empty"), std::string::npos);
  EXPECT_NE(parse_error("t.p95", "   ").find("the expression is empty"), std::string::npos);
}

TEST(ThresholdParse, UnknownAggregationIsNamed) {
  const std::string e = parse_error("t", "average < 1");
  EXPECT_NE(e.find("unknown aggregation \"average\""), std::string::npos) << e;
  EXPECT_NE(e.find("p(N)"), std::string::npos) << e;  // lists the valid ones
  const std::string k = parse_error("ws_connecting.p9x", "< 1");
  EXPECT_NE(k.find("threshold \"ws_connecting.p9x\""), std::string::npos) << k;
  EXPECT_NE(k.find("\"p9x\""), std::string::npos) << k;
}

TEST(ThresholdParse, BadPercentileIsNamed) {
  EXPECT_NE(parse_error("t", "p(101) < 1").find("between 0 and 100"), std::string::npos);
  EXPECT_NE(parse_error("t.p(-1)", "< 1").find("between 0 and 100"), std::string::npos);
  EXPECT_NE(parse_error("t", "p(99 < 1").find("missing \")\""), std::string::npos);
  EXPECT_NE(parse_error("t", "p() < 1").find("p(99.9)"), std::string::npos);
}

TEST(ThresholdParse, MissingAggregationIsNamed) {
  const std::string e = parse_error("ws_connecting", "< 200");
  EXPECT_NE(e.find("missing aggregation"), std::string::npos) << e;
  EXPECT_NE(e.find("ws_connecting.p95"), std::string::npos) << e;
}

TEST(ThresholdParse, AggregationGivenTwiceIsNamed) {
  const std::string e = parse_error("ws_connecting.p99", "avg < 200");
  EXPECT_NE(e.find("aggregation given twice"), std::string::npos) << e;
}

TEST(ThresholdParse, EmptyMetricNameIsNamed) {
  EXPECT_NE(parse_error(".p99", "< 1").find("the metric name is empty"), std::string::npos);
  EXPECT_NE(parse_error("", "p99 < 1").find("the metric name is empty"), std::string::npos);
}

}  // namespace
