#include "harness/metrics/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

// The layout is HdrHistogram's (lowest discernible value 1, so unit magnitude 0):
// bucket 0 holds [0, sub_bucket_count) at resolution 1; bucket b > 0 holds the upper half
// [sub_bucket_half_count << b, sub_bucket_count << b) at resolution 2^b. Only the upper
// half of each later bucket gets slots because its lower half is the previous bucket.
// With 3 digits the sub-bucket count is 2048, so a slot is at most 1/1024 of its values.

namespace drover::metrics {

histogram::histogram(std::int64_t highest_trackable, int significant_digits)
    : highest_(highest_trackable), digits_(significant_digits) {
  if (significant_digits < 1 || significant_digits > 5) {
    throw std::invalid_argument("histogram: significant_digits must be in 1..5");
  }
  if (highest_trackable < 2) throw std::invalid_argument("histogram: highest_trackable must be >= 2");

  std::int64_t single_unit_resolution = 2;
  for (int i = 0; i < significant_digits; ++i) single_unit_resolution *= 10;
  sub_bucket_count_log2_ = std::bit_width(static_cast<std::uint64_t>(single_unit_resolution - 1));
  unit_magnitude_ = 0;
  sub_bucket_count_ = std::int64_t{1} << sub_bucket_count_log2_;
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = (sub_bucket_count_ - 1) << unit_magnitude_;

  int bucket_count = 1;
  std::int64_t smallest_untrackable = sub_bucket_count_ << unit_magnitude_;
  while (smallest_untrackable <= highest_) {
    if (smallest_untrackable > INT64_MAX / 2) {
      ++bucket_count;
      break;
    }
    smallest_untrackable <<= 1;
    ++bucket_count;
  }
  counts_.assign(static_cast<std::size_t>(bucket_count + 1) * static_cast<std::size_t>(sub_bucket_half_count_), 0);
}

std::size_t histogram::index_for(std::int64_t value) const {
  const int half_log2 = sub_bucket_count_log2_ - 1;
  const int pow2_ceiling = std::bit_width(static_cast<std::uint64_t>(value | sub_bucket_mask_));
  const int bucket_index = pow2_ceiling - unit_magnitude_ - sub_bucket_count_log2_;
  const std::int64_t sub_bucket_index = value >> (bucket_index + unit_magnitude_);
  const std::int64_t bucket_base = static_cast<std::int64_t>(bucket_index + 1) << half_log2;
  return static_cast<std::size_t>(bucket_base + (sub_bucket_index - sub_bucket_half_count_));
}

std::int64_t histogram::lowest_equivalent(std::size_t index) const {
  const int half_log2 = sub_bucket_count_log2_ - 1;
  int bucket_index = static_cast<int>(index >> half_log2) - 1;
  std::int64_t sub_bucket_index =
      static_cast<std::int64_t>(index & static_cast<std::size_t>(sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket_index < 0) {
    sub_bucket_index -= sub_bucket_half_count_;
    bucket_index = 0;
  }
  return sub_bucket_index << (bucket_index + unit_magnitude_);
}

std::int64_t histogram::highest_equivalent(std::size_t index) const {
  const int half_log2 = sub_bucket_count_log2_ - 1;
  const int bucket_index = std::max(0, static_cast<int>(index >> half_log2) - 1);
  return lowest_equivalent(index) + (std::int64_t{1} << (bucket_index + unit_magnitude_)) - 1;
}

void histogram::record(std::int64_t value) { record_n(value, 1); }

void histogram::record_n(std::int64_t value, std::uint64_t count) {
  if (count == 0) return;
  if (value < 0) value = 0;
  if (value > highest_) {
    value = highest_;
    clamped_ += count;
  }
  counts_[index_for(value)] += count;
  count_ += count;
  sum_ += static_cast<long double>(value) * static_cast<long double>(count);
  if (value < min_) min_ = value;
  if (value > max_) max_ = value;
}

void histogram::merge(const histogram& other) {
  if (other.highest_ != highest_ || other.digits_ != digits_) {
    throw std::logic_error("histogram::merge: histograms have different configurations");
  }
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  clamped_ += other.clamped_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  clamped_ = 0;
  min_ = INT64_MAX;
  max_ = 0;
  sum_ = 0;
}

std::int64_t histogram::min() const { return count_ == 0 ? 0 : min_; }

std::int64_t histogram::max() const { return max_; }

double histogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::int64_t histogram::value_at_percentile(double percentile) const {
  if (count_ == 0) return 0;
  if (!(percentile > 0)) return min();  // also NaN
  if (percentile >= 100) return max();
  // Nearest rank: the value at 1-based rank ceil(p/100 * n); the tolerance keeps
  // 99.9% of 1000 at rank 999 despite binary rounding.
  const long double exact = static_cast<long double>(percentile) * static_cast<long double>(count_) / 100.0L;
  auto rank = static_cast<std::uint64_t>(std::ceil(exact - 1e-9L));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(highest_equivalent(i), min(), max());
  }
  return max();
}

std::vector<histogram::bucket> histogram::nonempty_buckets() const {
  std::vector<bucket> out;
  if (count_ == 0) return out;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) out.push_back({lowest_equivalent(i), highest_equivalent(i), counts_[i]});
  }
  return out;
}

}  // namespace drover::metrics
