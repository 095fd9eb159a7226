// How shards and workers split a test: shares add up, client ids never collide.
#include <gtest/gtest.h>

#include <set>

#include "harness/runner/worker.hpp"

namespace drover::runner {
namespace {

TEST(WorkerShare, SharesOfShardsAndWorkersAddUpToTheWhole) {
  for (long long total : {1LL, 5LL, 100LL, 1001LL}) {
    long long sum = 0;
    for (int shard = 0; shard < 3; ++shard)
      for (int w = 0; w < 2; ++w) sum += worker_share{shard, 3, w, 2}.of(total);
    EXPECT_EQ(sum, total) << total;
  }
}

TEST(WorkerShare, ClientIdsAreUniqueAcrossShardsAndWorkersAndDense) {
  std::set<int> ids;
  for (int shard = 0; shard < 3; ++shard)
    for (int w = 0; w < 2; ++w)
      for (long long j = 0; j < 10; ++j) EXPECT_TRUE(ids.insert(worker_share{shard, 3, w, 2}.client_id(j)).second);
  EXPECT_EQ(ids.size(), 60u);
  EXPECT_EQ(*ids.begin(), 1);
  EXPECT_EQ(*ids.rbegin(), 60) << "ten clients on each of six workers take ids 1..60";
}

TEST(WorkerShare, ArrivalResiduesPartitionTheIterations) {
  std::set<long long> seen;
  for (int shard = 0; shard < 2; ++shard)
    for (int w = 0; w < 3; ++w) {
      worker_share s{shard, 2, w, 3};
      for (long long k = s.first(); k < 120; k += s.stride()) EXPECT_TRUE(seen.insert(k).second) << k;
    }
  EXPECT_EQ(seen.size(), 120u);
}

}  // namespace
}  // namespace drover::runner
