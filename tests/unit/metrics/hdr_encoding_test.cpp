// HdrHistogram V2 encoding of metrics::histogram. The decoder here follows HdrHistogram's
// specification independently of the encoder (zlib inflate, big-endian header, ZigZag
// LEB128-64b9B with zero runs) and is itself checked against a reference vector from
// hdr-histogram-js's test suite; tests/hlog/ decodes drover's logs with hdr-histogram-js itself.
#include <gtest/gtest.h>

#include <boost/beast/core/detail/base64.hpp>
#include <zlib.h>

#include <cstring>
#include <random>
#include <stdexcept>

#include "harness/metrics/hdr_encoding.hpp"

namespace drover::metrics {
namespace {

struct decoded_hdr {
  std::uint32_t cookie = 0;
  std::int32_t normalizing_offset = 0;
  std::int32_t digits = 0;
  std::int64_t lowest = 0;
  std::int64_t highest = 0;
  std::vector<std::int64_t> counts;  // index -> count, up to the last one written
};

std::uint64_t read_be(const std::vector<std::uint8_t>& b, std::size_t at, int bytes) {
  if (at + static_cast<std::size_t>(bytes) > b.size()) throw std::runtime_error("truncated");
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
  return v;
}

std::int64_t read_zigzag(const std::vector<std::uint8_t>& b, std::size_t& at) {
  std::uint64_t v = 0;
  int shift = 0;
  for (int i = 0; i < 9; ++i) {
    if (at >= b.size()) throw std::runtime_error("truncated LEB128");
    const std::uint64_t byte = b[at++];
    if (i == 8) {
      v |= byte << 56;
      break;
    }
    v |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) == 0) break;
  }
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

decoded_hdr decode_plain(const std::vector<std::uint8_t>& b) {
  decoded_hdr d;
  d.cookie = static_cast<std::uint32_t>(read_be(b, 0, 4));
  if ((d.cookie & ~0xf0u) != 0x1c849303u) throw std::runtime_error("not a V2 histogram");
  const auto payload = static_cast<std::size_t>(read_be(b, 4, 4));
  d.normalizing_offset = static_cast<std::int32_t>(read_be(b, 8, 4));
  d.digits = static_cast<std::int32_t>(read_be(b, 12, 4));
  d.lowest = static_cast<std::int64_t>(read_be(b, 16, 8));
  d.highest = static_cast<std::int64_t>(read_be(b, 24, 8));
  std::size_t at = 40;
  if (at + payload != b.size()) throw std::runtime_error("payload length disagrees with the buffer");
  while (at < b.size()) {
    const std::int64_t v = read_zigzag(b, at);
    if (v < 0) d.counts.resize(d.counts.size() + static_cast<std::size_t>(-v), 0);
    else d.counts.push_back(v);
  }
  return d;
}

std::vector<std::uint8_t> inflate_compressed(const std::vector<std::uint8_t>& b) {
  if ((read_be(b, 0, 4) & ~0xf0u) != 0x1c849304u) throw std::runtime_error("not a V2 compressed histogram");
  const auto length = static_cast<std::size_t>(read_be(b, 4, 4));
  if (8 + length != b.size()) throw std::runtime_error("compressed length disagrees with the buffer");
  std::vector<std::uint8_t> out(1 << 20);
  uLongf size = out.size();
  if (uncompress(out.data(), &size, b.data() + 8, static_cast<uLong>(length)) != Z_OK) throw std::runtime_error("inflate");
  out.resize(size);
  return out;
}

std::vector<std::uint8_t> from_base64(const std::string& text) {
  namespace b64 = boost::beast::detail::base64;
  std::vector<std::uint8_t> out(b64::decoded_size(text.size()));
  out.resize(b64::decode(out.data(), text.data(), text.size()).first);
  return out;
}

// The counts array trimmed after its last non-empty bucket, as the encoding carries it.
std::vector<std::int64_t> trimmed_counts(const histogram& h) {
  std::vector<std::int64_t> out(h.counts().begin(), h.counts().end());
  while (!out.empty() && out.back() == 0) out.pop_back();
  return out;
}

TEST(HdrEncoding, HeaderCarriesTheConfigurationAndV2Cookie) {
  histogram h;
  h.record(1234);
  decoded_hdr d = decode_plain(encode_hdr_v2(h));
  EXPECT_EQ(d.cookie, 0x1c849313u);
  EXPECT_EQ(d.normalizing_offset, 0);
  EXPECT_EQ(d.digits, 3);
  EXPECT_EQ(d.lowest, 1);
  EXPECT_EQ(d.highest, 3'600'000'000'000LL);
  EXPECT_EQ(read_be(encode_hdr_v2(h), 32, 8), 0x3ff0000000000000u);  // 1.0 as a double
}

TEST(HdrEncoding, CountsRoundTripExactlyWithZeroRuns) {
  histogram h;
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(8.0, 1.5);  // microseconds, a long tail
  for (int i = 0; i < 20000; ++i) h.record(static_cast<std::int64_t>(latency(rng)));
  h.record_n(0, 3);
  h.record_n(5'000'000'000LL, 2);  // far buckets: long zero runs before them
  decoded_hdr d = decode_plain(inflate_compressed(encode_hdr_v2_compressed(h)));
  EXPECT_EQ(d.counts, trimmed_counts(h));
  std::int64_t total = 0;
  for (auto c : d.counts) total += c;
  EXPECT_EQ(static_cast<std::uint64_t>(total), h.count());
}

TEST(HdrEncoding, LargeCountsTakeUpToNineBytes) {
  histogram h;
  h.record_n(10, (std::uint64_t{1} << 62) + 5);  // ZigZag makes it 63 bits: the 9th byte holds 8
  h.record_n(2000, 300);
  decoded_hdr d = decode_plain(encode_hdr_v2(h));
  EXPECT_EQ(d.counts, trimmed_counts(h));
}

TEST(HdrEncoding, EmptyHistogramHasAnEmptyPayload) {
  histogram h;
  std::vector<std::uint8_t> plain = encode_hdr_v2(h);
  EXPECT_EQ(plain.size(), 40u);
  EXPECT_TRUE(decode_plain(plain).counts.empty());
  EXPECT_TRUE(decode_plain(inflate_compressed(from_base64(encode_hdr_v2_compressed_base64(h)))).counts.empty());
}

TEST(HdrEncoding, Base64StartsAsEveryCompressedV2Histogram) {
  histogram h;
  h.record(42);
  const std::string text = encode_hdr_v2_compressed_base64(h);
  EXPECT_EQ(text.rfind("HISTFAAA", 0), 0u) << text;  // the cookie 0x1c849314 in base64
  EXPECT_EQ(decode_plain(inflate_compressed(from_base64(text))).counts, trimmed_counts(h));
}

// hdr-histogram-js's test vector "a histogram holding the single value 42" (encoding.spec.ts):
// this decoder reads it as HdrHistogram does, and our encoding of 42 carries the same counts.
TEST(HdrEncoding, ReferenceVectorDecodesToTheSameCountsAsOurs) {
  decoded_hdr ref = decode_plain(inflate_compressed(from_base64("HISTFAAAAB542pNpmSzMwMDAxAABzFCaEUoz2X+AMIKZAEARAtM=")));
  ASSERT_EQ(ref.lowest, 1);
  ASSERT_EQ(ref.digits, 3);
  // Its header says highest trackable 2 (hdr-histogram-js grows the array as it records);
  // 42 is in the first bucket range of every 3-digit histogram, so the index is the same.
  histogram ours;
  ours.record(42);
  EXPECT_EQ(ref.counts, trimmed_counts(ours));
  EXPECT_EQ(decode_plain(encode_hdr_v2(ours)).counts, ref.counts);
}

}  // namespace
}  // namespace drover::metrics
