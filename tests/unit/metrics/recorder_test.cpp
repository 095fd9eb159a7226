#include "harness/metrics/recorder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

using namespace drover::metrics;

TEST(Recorder, EntryIsCreatedOnFirstUse) {
  recorder r;
  EXPECT_EQ(r.find("ws_msgs_sent"), nullptr);
  r.add_counter(names::ws_msgs_sent);
  r.add_counter(names::ws_msgs_sent, 2);
  const auto* e = r.find("ws_msgs_sent");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, metric_type::counter);
  EXPECT_EQ(e->counter->total, 3);
}

TEST(Recorder, TypeMismatchThrowsNamingTheMetric) {
  recorder r;
  r.counter("my_metric");
  try {
    r.trend("my_metric");
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("my_metric"), std::string::npos) << what;
    EXPECT_NE(what.find("counter"), std::string::npos) << what;
  }
  EXPECT_THROW(r.add_rate("my_metric", true), std::logic_error);
  EXPECT_THROW(r.set_gauge("my_metric", 1), std::logic_error);
}

TEST(Recorder, ReferencesStayValidAsMetricsAreAdded) {
  recorder r;
  trend_metric& t = r.trend("first");
  for (int i = 0; i < 200; ++i) r.add_counter("c" + std::to_string(i));
  t.add(1.5);
  EXPECT_EQ(&r.trend("first"), &t);
  EXPECT_EQ(r.find("first")->trend->values.count(), 1u);
}

TEST(Recorder, TrendStoresThousandthsOfTheUnit) {
  recorder r;
  r.add_trend(names::ws_connecting, 12.3456);
  const histogram& h = r.find(names::ws_connecting)->trend->values;
  EXPECT_EQ(h.max(), 12346);
  EXPECT_EQ(r.trend(names::ws_connecting).unit, value_unit::milliseconds);
}

TEST(Recorder, UnitIsFixedByTheFirstCall) {
  recorder r;
  r.counter(names::data_sent, value_unit::bytes);
  EXPECT_EQ(r.counter(names::data_sent).unit, value_unit::bytes);
  r.trend("payload_size", value_unit::bytes);
  EXPECT_EQ(r.trend("payload_size", value_unit::milliseconds).unit, value_unit::bytes);
}

TEST(Recorder, ChecksCountAndFeedTheChecksRate) {
  recorder r;
  r.add_check("status is 101", true);
  r.add_check("got welcome", false, "timed out after 5s");
  r.add_check("got welcome", false, "second failure");
  r.add_check("status is 101", true);

  ASSERT_EQ(r.check_order().size(), 2u);
  EXPECT_EQ(r.check_order()[0], "status is 101");
  EXPECT_EQ(r.check_order()[1], "got welcome");
  const check_stats& welcome = r.checks().find("got welcome")->second;
  EXPECT_EQ(welcome.passes, 0u);
  EXPECT_EQ(welcome.fails, 2u);
  EXPECT_EQ(welcome.first_failure, "timed out after 5s");
  EXPECT_EQ(r.checks().find("status is 101")->second.passes, 2u);

  const auto* rate = r.find(names::checks);
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->rate->trues, 2u);
  EXPECT_EQ(rate->rate->total, 4u);
}

TEST(Recorder, ErrorsKeepDistinctSamplesUpToTheCap) {
  recorder r;
  for (int i = 0; i < 30; ++i) r.add_error("connection_refused", "refused by 127.0.0.1:" + std::to_string(i % 15));
  r.add_error("connection_refused", "refused by 127.0.0.1:0");
  const error_stats& e = r.errors().find("connection_refused")->second;
  EXPECT_EQ(e.count, 31u);
  ASSERT_EQ(e.samples.size(), recorder::max_error_samples);
  EXPECT_EQ(e.samples[0], "refused by 127.0.0.1:0");
  EXPECT_EQ(e.samples[1], "refused by 127.0.0.1:1");
  EXPECT_EQ(r.find(names::ws_errors)->counter->total, 31);
}

TEST(Recorder, ErrorsNotCountedAsWsErrorsLeaveTheCounterAlone) {
  recorder r;
  r.add_error("lua_error", "attempt to index a nil value", false);
  r.add_error("lua_error", "attempt to index a nil value", false);
  EXPECT_EQ(r.find(names::ws_errors), nullptr);
  const error_stats& e = r.errors().find("lua_error")->second;
  EXPECT_EQ(e.count, 2u);
  EXPECT_EQ(e.samples.size(), 1u);
}

TEST(Recorder, GaugeKeepsLastValueAndMax) {
  recorder r;
  r.set_gauge(names::vus, 5);
  r.set_gauge(names::vus, 12);
  r.set_gauge(names::vus, 3);
  const gauge_metric& g = *r.find(names::vus)->gauge;
  EXPECT_TRUE(g.set);
  EXPECT_EQ(g.value, 3);
  EXPECT_EQ(g.max, 12);
}

TEST(Recorder, CloseCodesAreCounted) {
  recorder r;
  r.add_close_code(1000);
  r.add_close_code(1006);
  r.add_close_code(1000);
  EXPECT_EQ(r.close_codes().at(1000), 2u);
  EXPECT_EQ(r.close_codes().at(1006), 1u);
}

TEST(Recorder, MergeAddsEverything) {
  recorder a;
  recorder b;
  a.add_counter(names::ws_msgs_sent, 10);
  b.add_counter(names::ws_msgs_sent, 5);
  b.counter(names::data_received, value_unit::bytes).total += 300;
  a.add_trend(names::ws_connecting, 10);
  b.add_trend(names::ws_connecting, 30);
  b.add_trend(names::ws_ping, 2);
  a.add_rate("ok_rate", true);
  b.add_rate("ok_rate", false);
  a.set_gauge(names::vus, 4);
  a.set_gauge(names::vus, 2);
  b.set_gauge(names::vus, 3);
  a.add_check("first", true);
  a.add_check("second", false, "a's failure");
  b.add_check("third", false, "b's third");
  b.add_check("second", false, "b's failure");
  b.add_check("first", false, "b's first");
  a.add_error("timeout", "no reply in 5s");
  b.add_error("timeout", "no reply in 5s");
  b.add_error("timeout", "no reply in 10s");
  a.add_close_code(1000);
  b.add_close_code(1000);
  b.add_close_code(1011);

  a.merge(b);

  EXPECT_EQ(a.find(names::ws_msgs_sent)->counter->total, 15);
  EXPECT_EQ(a.find(names::data_received)->counter->unit, value_unit::bytes);
  EXPECT_EQ(a.find(names::data_received)->counter->total, 300);
  const histogram& conn = a.find(names::ws_connecting)->trend->values;
  EXPECT_EQ(conn.count(), 2u);
  EXPECT_EQ(conn.min(), 10'000);
  EXPECT_EQ(conn.max(), 30'000);
  EXPECT_EQ(a.find(names::ws_ping)->trend->values.count(), 1u);
  EXPECT_EQ(a.find("ok_rate")->rate->trues, 1u);
  EXPECT_EQ(a.find("ok_rate")->rate->total, 2u);

  const gauge_metric& vus = *a.find(names::vus)->gauge;
  EXPECT_EQ(vus.value, 5);  // 2 + 3: gauges are per-worker counts
  EXPECT_EQ(vus.max, 7);    // 4 + 3: sum of the workers' maxima

  ASSERT_EQ(a.check_order().size(), 3u);
  EXPECT_EQ(a.check_order()[2], "third");
  const check_stats& second = a.checks().find("second")->second;
  EXPECT_EQ(second.fails, 2u);
  EXPECT_EQ(second.first_failure, "a's failure");
  const check_stats& first = a.checks().find("first")->second;
  EXPECT_EQ(first.passes, 1u);
  EXPECT_EQ(first.fails, 1u);
  EXPECT_EQ(first.first_failure, "b's first");
  EXPECT_EQ(a.find(names::checks)->rate->total, 5u);
  EXPECT_EQ(a.find(names::checks)->rate->trues, 1u);

  const error_stats& timeout = a.errors().find("timeout")->second;
  EXPECT_EQ(timeout.count, 3u);
  ASSERT_EQ(timeout.samples.size(), 2u);
  EXPECT_EQ(a.find(names::ws_errors)->counter->total, 3);

  EXPECT_EQ(a.close_codes().at(1000), 2u);
  EXPECT_EQ(a.close_codes().at(1011), 1u);
}

TEST(Recorder, MergeCapsErrorSamples) {
  recorder a;
  recorder b;
  for (int i = 0; i < 8; ++i) a.add_error("refused", "a" + std::to_string(i));
  for (int i = 0; i < 8; ++i) b.add_error("refused", "b" + std::to_string(i));
  a.merge(b);
  const error_stats& e = a.errors().find("refused")->second;
  EXPECT_EQ(e.count, 16u);
  EXPECT_EQ(e.samples.size(), recorder::max_error_samples);
}

TEST(Recorder, MergeIntoEmptyRecorderCopies) {
  recorder worker;
  worker.add_trend("upload", 1.5);
  worker.trend("size", value_unit::bytes).add(100);
  worker.set_gauge(names::vus_max, 10);
  recorder total;
  total.merge(worker);
  total.merge(recorder{});
  EXPECT_EQ(total.find("size")->trend->unit, value_unit::bytes);
  EXPECT_EQ(total.find("upload")->trend->values.count(), 1u);
  EXPECT_EQ(total.find(names::vus_max)->gauge->value, 10);
  EXPECT_EQ(total.find(names::vus_max)->gauge->max, 10);
}

TEST(Recorder, MergeOfMismatchedTypesThrows) {
  recorder a;
  recorder b;
  a.add_counter("x");
  b.add_trend("x", 1);
  EXPECT_THROW(a.merge(b), std::logic_error);
}

}  // namespace
