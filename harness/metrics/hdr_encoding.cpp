#include "harness/metrics/hdr_encoding.hpp"

#include <bit>
#include <cstring>
#include <stdexcept>

#include <boost/beast/core/detail/base64.hpp>
#include <zlib.h>

namespace drover::metrics {

namespace {

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void set_u32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// HdrHistogram's "LEB128-64b9B": 7 bits per byte for the first 8 bytes, and a 9th byte, when
// needed, carries the last 8 bits whole (so 64 bits never take 10 bytes).
void put_zigzag(std::vector<std::uint8_t>& out, std::int64_t value) {
  std::uint64_t v = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  for (int i = 0; i < 8; ++i) {
    if (v < 0x80) {
      out.push_back(static_cast<std::uint8_t>(v));
      return;
    }
    out.push_back(static_cast<std::uint8_t>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

std::int64_t as_signed_count(std::uint64_t count) {
  // A count above INT64_MAX cannot be written (HdrHistogram's counts are signed 64-bit).
  if (count > static_cast<std::uint64_t>(INT64_MAX)) throw std::runtime_error("hdr encoding: a bucket count exceeds 2^63-1");
  return static_cast<std::int64_t>(count);
}

}  // namespace

std::vector<std::uint8_t> encode_hdr_v2(const histogram& h) {
  const std::vector<std::uint64_t>& counts = h.counts();
  std::size_t limit = counts.size();
  while (limit > 0 && counts[limit - 1] == 0) --limit;

  std::vector<std::uint8_t> out;
  out.reserve(40 + limit / 4 + 16);
  put_u32(out, hdr_v2_cookie);
  put_u32(out, 0);  // payload length, set below
  put_u32(out, 0);  // normalizing index offset
  put_u32(out, static_cast<std::uint32_t>(h.significant_digits()));
  put_u64(out, 1);  // lowest discernible value
  put_u64(out, static_cast<std::uint64_t>(h.highest_trackable()));
  put_u64(out, std::bit_cast<std::uint64_t>(1.0));  // integer-to-double value conversion ratio
  const std::size_t payload_start = out.size();
  for (std::size_t i = 0; i < limit;) {
    if (counts[i] != 0) {
      put_zigzag(out, as_signed_count(counts[i]));
      ++i;
      continue;
    }
    std::size_t run = 1;
    while (i + run < limit && counts[i + run] == 0) ++run;
    put_zigzag(out, run == 1 ? 0 : -static_cast<std::int64_t>(run));
    i += run;
  }
  set_u32(out, 4, static_cast<std::uint32_t>(out.size() - payload_start));
  return out;
}

std::vector<std::uint8_t> encode_hdr_v2_compressed(const histogram& h) {
  const std::vector<std::uint8_t> plain = encode_hdr_v2(h);
  uLongf deflated_size = compressBound(static_cast<uLong>(plain.size()));
  std::vector<std::uint8_t> out(8 + deflated_size);
  int rc = compress2(out.data() + 8, &deflated_size, plain.data(), static_cast<uLong>(plain.size()), Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) throw std::runtime_error("hdr encoding: zlib compress2 failed (" + std::to_string(rc) + ")");
  out.resize(8 + deflated_size);
  set_u32(out, 0, hdr_v2_compressed_cookie);
  set_u32(out, 4, static_cast<std::uint32_t>(deflated_size));
  return out;
}

std::string encode_hdr_v2_compressed_base64(const histogram& h) {
  namespace b64 = boost::beast::detail::base64;
  const std::vector<std::uint8_t> bytes = encode_hdr_v2_compressed(h);
  std::string out(b64::encoded_size(bytes.size()), '\0');
  out.resize(b64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

}  // namespace drover::metrics
