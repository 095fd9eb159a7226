#include "harness/metrics/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace {

using drover::metrics::histogram;

// Values spread log-uniformly from 1 to 1e10 (µs: 1 µs to ~3 hours), plus a few zeros.
std::vector<std::int64_t> spread_values(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 10.0);
  std::vector<std::int64_t> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(i % 1000 == 0 ? 0 : static_cast<std::int64_t>(std::pow(10.0, exponent(rng))));
  }
  return out;
}

// Nearest-rank percentile of a sorted sample: the value at 1-based rank ceil(p/100 * n).
std::int64_t oracle_percentile(const std::vector<std::int64_t>& sorted, double p) {
  const long double exact = static_cast<long double>(p) * sorted.size() / 100.0L;
  auto rank = static_cast<std::size_t>(std::ceil(exact - 1e-9L));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

histogram record_all(const std::vector<std::int64_t>& values) {
  histogram h;
  for (auto v : values) h.record(v);
  return h;
}

TEST(Histogram, PercentileMatchesSortedOracle) {
  auto values = spread_values(200'000, 42);
  const histogram h = record_all(values);
  std::sort(values.begin(), values.end());

  std::vector<double> percentiles = {0, 0.001, 0.1, 1, 5, 10, 25, 33.3, 50, 66.6, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100};
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> any(0.0, 100.0);
  for (int i = 0; i < 200; ++i) percentiles.push_back(any(rng));

  for (double p : percentiles) {
    const auto want = oracle_percentile(values, p);
    const auto got = h.value_at_percentile(p);
    EXPECT_LE(std::abs(static_cast<double>(got - want)), 0.001 * static_cast<double>(want))
        << "p" << p << ": histogram " << got << ", oracle " << want;
  }
}

TEST(Histogram, SmallValuesAreExact) {
  histogram h;
  for (std::int64_t v = 0; v < 2048; ++v) h.record(v);
  EXPECT_EQ(h.value_at_percentile(50), 1023);
  EXPECT_EQ(h.value_at_percentile(100), 2047);
  const auto buckets = h.nonempty_buckets();
  ASSERT_EQ(buckets.size(), 2048u);
  for (const auto& b : buckets) EXPECT_EQ(b.lower, b.upper);
}

TEST(Histogram, MinMaxMeanAreExact) {
  const auto values = spread_values(50'000, 3);
  const histogram h = record_all(values);
  long double sum = 0;
  for (auto v : values) sum += v;
  EXPECT_EQ(h.count(), values.size());
  EXPECT_EQ(h.min(), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(h.max(), *std::max_element(values.begin(), values.end()));
  const double mean = static_cast<double>(sum / values.size());
  EXPECT_NEAR(h.mean(), mean, mean * 1e-12);
}

TEST(Histogram, MinIsExactForLargeValues) {
  histogram h;
  h.record(1'234'567);
  h.record(9'876'543);
  EXPECT_EQ(h.min(), 1'234'567);
  EXPECT_EQ(h.max(), 9'876'543);
  EXPECT_EQ(h.value_at_percentile(0), 1'234'567);
  EXPECT_EQ(h.value_at_percentile(100), 9'876'543);
}

TEST(Histogram, BucketsHoldEveryValueWithThreeDigits) {
  const auto values = spread_values(20'000, 11);
  const histogram h = record_all(values);
  const auto buckets = h.nonempty_buckets();
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    EXPECT_LE(buckets[i].lower, buckets[i].upper);
    if (i > 0) {
      EXPECT_LT(buckets[i - 1].upper, buckets[i].lower);
    }
    // Resolution: a bucket is at most 1/1024 of its lower bound wide (exact below 2048).
    EXPECT_LE(buckets[i].upper - buckets[i].lower, buckets[i].lower / 1024);
    total += buckets[i].count;
  }
  EXPECT_EQ(total, h.count());
  for (auto v : values) {
    auto it = std::find_if(buckets.begin(), buckets.end(), [v](const auto& b) { return b.lower <= v && v <= b.upper; });
    ASSERT_NE(it, buckets.end()) << v;
  }
}

TEST(Histogram, MergeEqualsRecordingTheUnion) {
  const auto a_values = spread_values(30'000, 1);
  const auto b_values = spread_values(20'000, 2);
  histogram a = record_all(a_values);
  const histogram b = record_all(b_values);
  auto all = a_values;
  all.insert(all.end(), b_values.begin(), b_values.end());
  const histogram expected = record_all(all);

  a.merge(b);
  EXPECT_EQ(a.count(), expected.count());
  EXPECT_EQ(a.min(), expected.min());
  EXPECT_EQ(a.max(), expected.max());
  EXPECT_DOUBLE_EQ(a.mean(), expected.mean());
  const auto got = a.nonempty_buckets();
  const auto want = expected.nonempty_buckets();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].lower, want[i].lower);
    EXPECT_EQ(got[i].upper, want[i].upper);
    EXPECT_EQ(got[i].count, want[i].count) << "bucket " << got[i].lower;
  }
  for (double p : {1.0, 50.0, 99.0, 99.99}) EXPECT_EQ(a.value_at_percentile(p), expected.value_at_percentile(p));
}

TEST(Histogram, MergeIntoEmptyAndFromEmpty) {
  histogram empty;
  histogram h;
  h.record(5);
  h.record(500'000);
  h.merge(empty);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.min(), 5);
  empty.merge(h);
  EXPECT_EQ(empty.count(), 2u);
  EXPECT_EQ(empty.min(), 5);
  EXPECT_EQ(empty.max(), 500'000);
}

TEST(Histogram, MergeOfDifferentConfigurationsThrows) {
  histogram a;
  histogram b(1'000'000);
  EXPECT_THROW(a.merge(b), std::logic_error);
}

TEST(Histogram, ValuesAboveHighestAreClampedAndCounted) {
  histogram h(1'000'000);
  h.record(10);
  h.record(5'000'000);
  h.record_n(2'000'000, 3);
  EXPECT_EQ(h.count(), 5u);
  EXPECT_EQ(h.clamped(), 4u);
  EXPECT_EQ(h.max(), 1'000'000);
  EXPECT_EQ(h.value_at_percentile(100), 1'000'000);
  EXPECT_EQ(h.value_at_percentile(50), 1'000'000);
}

TEST(Histogram, NegativeValuesRecordAsZero) {
  histogram h;
  h.record(-7);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
}

TEST(Histogram, RecordNEqualsRepeatedRecord) {
  histogram a;
  histogram b;
  a.record_n(123'456, 1000);
  for (int i = 0; i < 1000; ++i) b.record(123'456);
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.mean(), b.mean());
  EXPECT_EQ(a.value_at_percentile(50), b.value_at_percentile(50));
  a.record_n(1, 0);
  EXPECT_EQ(a.count(), 1000u);
}

TEST(Histogram, EmptyHistogramReportsZeros) {
  const histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.value_at_percentile(0), 0);
  EXPECT_EQ(h.value_at_percentile(99), 0);
  EXPECT_TRUE(h.nonempty_buckets().empty());
}

TEST(Histogram, ResetForgetsEverything) {
  histogram h(1000);
  h.record(5);
  h.record(5000);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.clamped(), 0u);
  EXPECT_TRUE(h.nonempty_buckets().empty());
  h.record(7);
  EXPECT_EQ(h.min(), 7);
  EXPECT_EQ(h.max(), 7);
}

TEST(Histogram, RejectsBadConfiguration) {
  EXPECT_THROW(histogram(1000, 0), std::invalid_argument);
  EXPECT_THROW(histogram(1000, 6), std::invalid_argument);
  EXPECT_THROW(histogram(1), std::invalid_argument);
}

}  // namespace
