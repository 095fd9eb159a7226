#include "tests/fuzz/catalog.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace drover::fuzz {

const protocols::protocol_catalog& fuzz_catalog() {
  static const protocols::protocol_catalog catalog = [] {
    try {
      auto c = protocols::protocol_catalog::load(protocols::default_schemas_root());
      if (c.protocols().empty()) throw std::runtime_error("no protocol under the schemas root");
      return c;
    } catch (const std::exception& e) {
      // A broken checkout, not a finding: stop before the fuzzer reports a crash.
      std::fprintf(stderr, "fuzz: cannot load the protocol catalog: %s\n", e.what());
      std::exit(2);
    }
  }();
  return catalog;
}

}  // namespace drover::fuzz
