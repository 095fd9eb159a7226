#include "harness/export/remote_write_encoding.hpp"

#include <gtest/gtest.h>
#include <snappy.h>

#include "harness/export/remote_write.pb.h"

namespace drover::exporting {
namespace {

// What a receiver does: snappy block decompression, then the protobuf parser.
prompb::WriteRequest decode(const std::string& body) {
  std::string raw;
  EXPECT_TRUE(snappy::Uncompress(body.data(), body.size(), &raw)) << "not a snappy block";
  prompb::WriteRequest request;
  EXPECT_TRUE(request.ParseFromString(raw)) << "not a WriteRequest";
  return request;
}

TEST(RemoteWriteEncoding, ASnappyBlockOfAWriteRequestWithEverySeriesLabelAndSample) {
  std::vector<prometheus_series> series = {
      {{{"__name__", "drover_ws_msgs_sent_total"}, {"testid", "t1"}}, {{0, 1764340000000}, {42, 1764340001000}}},
      {{{"__name__", "drover_ws_connecting_p99"}, {"scenario", "phones"}}, {{0.0125, 1764340001000}}},
  };
  prompb::WriteRequest request = decode(encode_remote_write(series));
  ASSERT_EQ(request.timeseries_size(), 2);
  const auto& first = request.timeseries(0);
  ASSERT_EQ(first.labels_size(), 2);
  EXPECT_EQ(first.labels(0).name(), "__name__");
  EXPECT_EQ(first.labels(0).value(), "drover_ws_msgs_sent_total");
  EXPECT_EQ(first.labels(1).name(), "testid");
  EXPECT_EQ(first.labels(1).value(), "t1");
  ASSERT_EQ(first.samples_size(), 2);
  EXPECT_EQ(first.samples(0).value(), 0);
  EXPECT_EQ(first.samples(0).timestamp(), 1764340000000);
  EXPECT_EQ(first.samples(1).value(), 42);
  EXPECT_EQ(first.samples(1).timestamp(), 1764340001000);
  const auto& second = request.timeseries(1);
  EXPECT_EQ(second.labels(1).value(), "phones");
  ASSERT_EQ(second.samples_size(), 1);
  EXPECT_DOUBLE_EQ(second.samples(0).value(), 0.0125);
}

TEST(RemoteWriteEncoding, TheBuildersSeriesSurviveTheRoundTrip) {
  prometheus_series_builder builder(prometheus_labels{{"testid", "round-trip"}});
  metrics::interval_point p;
  p.end_ms = 1000;
  p.unix_start_s = 1764340000.5;
  p.msgs_received = 7;
  p.errors_by_kind["tls"] = 1;
  p.trends["ws_ping"].values.record(3000);
  auto series = builder.add(p);
  prompb::WriteRequest request = decode(encode_remote_write(series));
  ASSERT_EQ(request.timeseries_size(), static_cast<int>(series.size()));
  for (int i = 0; i < request.timeseries_size(); ++i) {
    const auto& ts = request.timeseries(i);
    ASSERT_EQ(ts.labels_size(), static_cast<int>(series[i].labels.size()));
    for (int j = 0; j < ts.labels_size(); ++j) {
      EXPECT_EQ(ts.labels(j).name(), series[i].labels[j].first);
      EXPECT_EQ(ts.labels(j).value(), series[i].labels[j].second);
    }
    ASSERT_EQ(ts.samples_size(), static_cast<int>(series[i].samples.size()));
    for (int j = 0; j < ts.samples_size(); ++j) {
      EXPECT_EQ(ts.samples(j).value(), series[i].samples[j].value);
      EXPECT_EQ(ts.samples(j).timestamp(), series[i].samples[j].timestamp_ms);
      EXPECT_EQ(ts.samples(j).timestamp() % 1000, 500) << "stamped on the run's own millisecond grid";
    }
  }
}

TEST(RemoteWriteEncoding, AnEmptyRequestIsAValidEmptyMessage) {
  prompb::WriteRequest request = decode(encode_remote_write({}));
  EXPECT_EQ(request.timeseries_size(), 0);
}

}  // namespace
}  // namespace drover::exporting
