#pragma once
// Internal to schema_validator: the yes/no check, the hot path of every validated message.
//
// Valijson's own validator copies its error context (a vector of strings) and builds a
// "[name]" string for every property and array item it visits, even when it reports no
// errors; for a message with a few hundred values that is most of the cost. This walk
// handles the applicators that visit children (properties, items, allOf) itself and gives
// every other constraint to Valijson's ValidationVisitor with an empty context. Verdicts are
// Valijson's: the JSON Schema Test Suite and the protocol schema tests run through it.
#include <boost/json/value.hpp>

namespace valijson {
class Subschema;
}

namespace drover::protocols {

// `empty` is the schema's shared empty subschema (valijson::Schema::emptySubschema()),
// which Valijson uses for an absent additionalProperties/additionalItems.
bool fast_accepts(const valijson::Subschema& schema, const boost::json::value& instance,
                  const valijson::Subschema* empty);

}  // namespace drover::protocols
