// Fuzz target: message identification (the protocol catalog's discriminator lookup, with
// dotted match paths, $exists tests, text frames and packet arrays). Arbitrary bytes as a
// frame of either direction in every dialect of every protocol; identify() on the text and
// identify_parsed() on the parsed value must name the same entry, and the entry must belong
// to that direction and dialect.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/json/parse.hpp>

#include "tests/fuzz/catalog.hpp"

namespace {

using namespace drover::protocols;

// As the protocol parses frames (protocol.cpp): nesting up to 64.
boost::json::parse_options message_options() {
  boost::json::parse_options o;
  o.max_depth = 64;
  return o;
}

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "identify: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& catalog = drover::fuzz::fuzz_catalog();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec, {}, message_options());
  for (const auto& p : catalog.protocols()) {
    for (auto dir : {direction::client, direction::server}) {
      for (const auto& dialect : p.dialects()) {
        const message_entry* by_text = p.identify(dir, text, dialect);
        if (by_text && (by_text->dir != dir || !by_text->in_dialect(dialect)))
          fail("identified an entry of another direction or dialect", p.name() + "/" + by_text->name);
        if (ec) continue;
        const message_entry* by_value = p.identify_parsed(dir, parsed, dialect);
        // A text entry ("#1") wins over a JSON one for the same bytes; otherwise both agree.
        if (by_text != by_value && !(by_text && by_text->text))
          fail("identify and identify_parsed disagree", p.name() + ": " + std::string(text.substr(0, 200)));
        if (by_value && !parsed.is_array() && !by_value->matches(parsed))
          fail("identified an entry whose match does not hold", p.name() + "/" + by_value->name);
      }
    }
  }
  return 0;
}
