// The schedule maths of the arrival-rate models, checked against closed forms and a
// brute-force integration of the rate.
#include "harness/runner/arrival_schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace drover::runner {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ArrivalSchedule, ConstantRateStartsEvenlyFromZero) {
  auto s = arrival_schedule::constant(50, seconds(1), seconds(3));
  EXPECT_EQ(s.total(), 150);
  EXPECT_EQ(s.start_of(0), microseconds(0));
  EXPECT_EQ(s.start_of(1), microseconds(20'000));
  EXPECT_EQ(s.start_of(149), microseconds(2'980'000));
  EXPECT_FALSE(s.start_of(150)) << "an iteration due exactly at the end does not start";
  EXPECT_FALSE(s.start_of(-1));
  EXPECT_DOUBLE_EQ(s.rate_per_second_at(seconds(1)), 50);
}

TEST(ArrivalSchedule, TimeUnitScalesTheRate) {
  auto s = arrival_schedule::constant(30, std::chrono::minutes(1), seconds(10));  // 0.5 per second
  EXPECT_EQ(s.total(), 5);
  EXPECT_EQ(s.start_of(1), microseconds(2'000'000));
  EXPECT_DOUBLE_EQ(s.rate_per_second_at(seconds(3)), 0.5);
}

TEST(ArrivalSchedule, RampFromZeroIsQuadratic) {
  // 0 -> 100/s over 10 s: A(t) = 5 t^2, so iteration k starts at sqrt(k / 5).
  arrival_schedule s(0, {{seconds(10), 100}}, seconds(1));
  EXPECT_EQ(s.total(), 500);
  for (long long k : {1LL, 5LL, 20LL, 245LL, 499LL}) {
    auto at = s.start_of(k);
    ASSERT_TRUE(at) << k;
    EXPECT_NEAR(static_cast<double>(at->count()), std::sqrt(k / 5.0) * 1e6, 2) << k;
  }
  EXPECT_NEAR(s.due_by(seconds(4)), 80, 1e-9);
}

TEST(ArrivalSchedule, StagesChainAndRampDown) {
  // 10/s for 2 s (20), up to 30/s over 2 s (40), down to 0 over 1 s (15): 75 in all.
  arrival_schedule s(10, {{seconds(2), 10}, {seconds(2), 30}, {seconds(1), 0}}, seconds(1));
  EXPECT_EQ(s.length(), seconds(5));
  EXPECT_EQ(s.total(), 75);
  EXPECT_NEAR(s.due_by(seconds(2)), 20, 1e-9);
  EXPECT_NEAR(s.due_by(seconds(4)), 60, 1e-9);
  EXPECT_NEAR(s.due_by(seconds(5)), 75, 1e-9);
  EXPECT_NEAR(s.rate_per_second_at(seconds(3)), 20, 1e-9);
  EXPECT_NEAR(s.rate_per_second_at(milliseconds(4500)), 15, 1e-9);
  // start_of inverts due_by: A(start_of(k)) == k, and starts never go backwards.
  microseconds last{-1};
  for (long long k = 0; k < s.total(); ++k) {
    auto at = s.start_of(k);
    ASSERT_TRUE(at) << k;
    EXPECT_NEAR(s.due_by(*at), static_cast<double>(k), 1e-3) << k;
    EXPECT_GE(*at, last) << k;
    last = *at;
  }
  EXPECT_FALSE(s.start_of(s.total()));
}

TEST(ArrivalSchedule, AZeroRateStageStartsNothingAndTheNextStageResumes) {
  arrival_schedule s(0, {{seconds(2), 0}, {seconds(0), 10}, {seconds(1), 10}}, seconds(1));
  EXPECT_EQ(s.total(), 10);
  EXPECT_EQ(s.start_of(0), microseconds(2'000'000));
  EXPECT_EQ(s.start_of(9), microseconds(2'900'000));
}

TEST(ArrivalSchedule, ResidueSplitCoversEveryIterationOnce) {
  // Shards x workers take k % stride == offset: together exactly the whole schedule.
  arrival_schedule s(5, {{seconds(3), 40}, {seconds(2), 7}}, seconds(1));
  const long long total = s.total();
  std::set<long long> seen;
  const int shards = 3, workers = 2;
  for (int shard = 0; shard < shards; ++shard)
    for (int w = 0; w < workers; ++w)
      for (long long k = shard + shards * w; s.start_of(k); k += shards * workers) EXPECT_TRUE(seen.insert(k).second);
  EXPECT_EQ(static_cast<long long>(seen.size()), total);
  EXPECT_EQ(*seen.rbegin(), total - 1);
}

TEST(ArrivalSchedule, RejectsNegativeRatesAndZeroTimeUnit) {
  EXPECT_THROW(arrival_schedule(-1, {{seconds(1), 1}}, seconds(1)), std::invalid_argument);
  EXPECT_THROW(arrival_schedule(1, {{seconds(1), -1}}, seconds(1)), std::invalid_argument);
  EXPECT_THROW(arrival_schedule(1, {{seconds(1), 1}}, milliseconds(0)), std::invalid_argument);
}

TEST(VusTarget, FollowsStagesLinearlyRoundingDown) {
  std::vector<stage> stages = {{seconds(10), 10}, {seconds(5), 10}, {seconds(2), 0}};
  EXPECT_EQ(vus_target_at(0, stages, milliseconds(0)), 0);
  EXPECT_EQ(vus_target_at(0, stages, milliseconds(999)), 0);
  EXPECT_EQ(vus_target_at(0, stages, milliseconds(1000)), 1);
  EXPECT_EQ(vus_target_at(0, stages, milliseconds(5500)), 5);
  EXPECT_EQ(vus_target_at(0, stages, seconds(12)), 10);
  EXPECT_EQ(vus_target_at(0, stages, seconds(16)), 5);
  EXPECT_EQ(vus_target_at(0, stages, seconds(17)), 0);
  EXPECT_EQ(vus_target_at(0, stages, seconds(60)), 0) << "after the last stage: its target";
  EXPECT_EQ(vus_target_at(4, {{seconds(2), 4}}, seconds(1)), 4) << "start_vus holds through a flat stage";
}

TEST(ShareOf, PartsDifferByAtMostOneAndAddUp) {
  for (long long total : {0LL, 1LL, 7LL, 100LL, 1001LL}) {
    for (int count : {1, 2, 3, 7}) {
      long long sum = 0, lo = total, hi = 0;
      for (int i = 0; i < count; ++i) {
        long long p = share_of(total, i, count);
        sum += p;
        lo = std::min(lo, p);
        hi = std::max(hi, p);
      }
      EXPECT_EQ(sum, total) << total << "/" << count;
      EXPECT_LE(hi - lo, 1) << total << "/" << count;
    }
  }
}

}  // namespace
}  // namespace drover::runner
