#pragma once
// The protocol catalog every schema-facing fuzz target shares: loaded once per process from
// default_schemas_root() (the source tree's schemas/, or $DROVER_SCHEMAS).
#include "harness/protocols/protocol_catalog.hpp"

namespace drover::fuzz {

const protocols::protocol_catalog& fuzz_catalog();

}  // namespace drover::fuzz
