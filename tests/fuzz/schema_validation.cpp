// Fuzz target: schema validation (harness/protocols). Arbitrary bytes, as a frame of either
// direction in every dialect of every protocol: identify, validate, explain the violations;
// then, when the bytes are JSON, the instance against every compiled schema of the catalog
// directly (so that a message of one type meets every other type's schema too).
// validate() is documented never to throw: any exception is a finding.
#include <cstdio>
#include <cstdlib>
#include <set>
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
  std::fprintf(stderr, "schema_validation: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void check_violations(const validation_result& r) {
  for (const auto& v : r.violations) {
    if (v.keyword.empty()) fail("violation without a keyword", v.detail);
    if (v.detail.empty()) fail("violation without a detail", v.keyword);
    if (v.excerpt.size() > 204) fail("excerpt longer than its limit", v.excerpt);
    if (!v.pointer.empty() && v.pointer.front() != '/') fail("pointer not RFC 6901", v.pointer);
  }
  if (r.message && !r.json_ok) fail("identified a message that was not JSON", r.message->name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& catalog = drover::fuzz::fuzz_catalog();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& p : catalog.protocols()) {
    for (auto dir : {direction::client, direction::server}) {
      for (const auto& dialect : p.dialects()) check_violations(p.validate(dir, text, dialect));
    }
  }
  boost::system::error_code ec;
  boost::json::value instance = boost::json::parse(text, ec, {}, message_options());
  if (ec) return 0;
  std::set<const schema_validator*> seen;
  for (const auto& p : catalog.protocols()) {
    for (const auto& entry : p.messages()) {
      if (!entry.validator || !seen.insert(entry.validator).second) continue;
      bool valid = entry.validator->is_valid(instance);
      auto violations = entry.validator->validate(instance, text);
      // The fast check and the explaining walk must agree on valid vs invalid.
      if (valid != violations.empty())
        fail(valid ? "is_valid accepts what validate explains as invalid" : "is_valid rejects what validate finds valid",
             entry.validator->uri() + std::string(" ") + std::string(text.substr(0, 200)));
    }
  }
  return 0;
}
