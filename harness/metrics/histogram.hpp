#pragma once
// HDR-style latency histogram: log-linear buckets keeping 3 significant decimal digits,
// O(1) recording, exact merge. Values are non-negative integers in the caller's unit
// (drover records trends in thousandths of the metric's unit: microseconds for ms trends).
// Not thread-safe: one histogram per worker, merged at the end (merge is exact).
#include <cstdint>
#include <vector>

namespace drover::metrics {

class histogram {
 public:
  // Values above highest_trackable are clamped to it and counted in clamped().
  explicit histogram(std::int64_t highest_trackable = 3'600'000'000'000LL, int significant_digits = 3);

  void record(std::int64_t value);                       // negative values are recorded as 0
  void record_n(std::int64_t value, std::uint64_t count);
  void merge(const histogram& other);                    // both must have the same configuration
  void reset();

  std::uint64_t count() const { return count_; }
  std::uint64_t clamped() const { return clamped_; }
  std::int64_t min() const;                              // 0 when empty
  std::int64_t max() const;                              // exact, 0 when empty
  double mean() const;                                   // exact (from the running sum), 0 when empty
  // The smallest recorded-bucket value v such that at least p% of values are <= v
  // (within the 3-digit precision; p=100 gives max()). p in [0, 100]; 0 when empty.
  std::int64_t value_at_percentile(double percentile) const;

  struct bucket {
    std::int64_t lower;   // inclusive
    std::int64_t upper;   // inclusive
    std::uint64_t count;
  };
  // Non-empty buckets in ascending order (for charts and the result document).
  std::vector<bucket> nonempty_buckets() const;

  // The configuration and the raw counts array, laid out exactly as HdrHistogram's (lowest
  // discernible value 1, see histogram.cpp), for encoders of HdrHistogram's formats (--hlog).
  std::int64_t highest_trackable() const { return highest_; }
  int significant_digits() const { return digits_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  // implementation-defined members
  std::int64_t highest_;
  int digits_;
  int sub_bucket_count_log2_;
  std::int64_t sub_bucket_count_;
  std::int64_t sub_bucket_half_count_;
  std::int64_t sub_bucket_mask_;
  int unit_magnitude_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t clamped_ = 0;
  std::int64_t min_ = INT64_MAX;
  std::int64_t max_ = 0;
  long double sum_ = 0;

  std::size_t index_for(std::int64_t value) const;
  std::int64_t lowest_equivalent(std::size_t index) const;
  std::int64_t highest_equivalent(std::size_t index) const;
};

}  // namespace drover::metrics
