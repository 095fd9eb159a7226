#include "harness/protocols/violation.hpp"

namespace drover::protocols {

std::string make_excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  bool cut = text.size() > max_bytes;
  std::size_t keep = text.size();
  if (cut) {
    keep = max_bytes >= 3 ? max_bytes - 3 : 0;
    // Step back over UTF-8 continuation bytes so the cut falls on a character boundary.
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;
  }
  out.reserve(keep + 3);
  for (std::size_t i = 0; i < keep; ++i) {
    char c = text[i];
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  if (cut) out += "...";
  return out;
}

}  // namespace drover::protocols
