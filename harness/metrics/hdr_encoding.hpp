#pragma once
// HdrHistogram's V2 histogram encodings of a metrics::histogram, as HdrHistogram's own tools
// (HistogramLogReader, HistogramLogProcessor, hdr-histogram-js, HdrHistogram_c) decode them.
// metrics::histogram has HdrHistogram's bucket layout for lowest discernible value 1 (same
// sub-bucket count, unit magnitude 0, same counts index), so its counts array is encoded as is:
// the decoded histogram has the same buckets and counts, its values in the same unit
// (thousandths of the trend's unit for drover's trends).
// Pure functions; any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/metrics/histogram.hpp"

namespace drover::metrics {

// The cookies as written (the low nibble 0x10 says "V2, ZigZag LEB128 words of up to 9 bytes");
// readers compare them with the low 0xf0 bits masked.
inline constexpr std::uint32_t hdr_v2_cookie = 0x1c849303u | 0x10u;
inline constexpr std::uint32_t hdr_v2_compressed_cookie = 0x1c849304u | 0x10u;

// The uncompressed V2 form: a 40-byte big-endian header (cookie, payload length, normalizing
// index offset 0, significant digits, lowest discernible value 1, highest trackable value,
// integer-to-double ratio 1.0), then the counts up to the last non-empty one as ZigZag LEB128
// (at most 9 bytes each), a run of N > 1 empty buckets written as -N.
std::vector<std::uint8_t> encode_hdr_v2(const histogram& h);

// The compressed V2 form: cookie, deflated length, then the zlib (RFC 1950) stream of
// encode_hdr_v2. Throws std::runtime_error if zlib fails (out of memory).
std::vector<std::uint8_t> encode_hdr_v2_compressed(const histogram& h);

// encode_hdr_v2_compressed in standard base64 (with padding), the log's histogram column.
std::string encode_hdr_v2_compressed_base64(const histogram& h);

}  // namespace drover::metrics
