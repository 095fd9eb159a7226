// Valijson 1.0's error descriptions -> JSON Schema keywords. Only the fallback path uses
// this (schema_explain.cpp names keywords from the constraint types); the unit tests pin
// every description Valijson 1.0 produces.
#include <utility>

#include "harness/protocols/json_pointer.hpp"
#include "harness/protocols/schema_explain.hpp"

namespace drover::protocols {
namespace {

// Order matters: the first fragment found wins, so longer phrases come before their prefixes.
constexpr std::pair<std::string_view, std::string_view> fragments[] = {
    // Wrappers: they repeat a failure that has its own entry deeper in the list.
    {"Failed to validate against schema associated with property name", ""},
    {"Failed to validate against schema associated with pattern", ""},
    {"Failed to validate against additional properties schema", ""},
    {"against additional items schema", ""},
    {"Failed to validate item #", ""},
    {"Failed to validate against child schema #", ""},
    {"Failed to validate against dependent schema", ""},
    // Causes.
    {"Missing required property", "required"},
    {"Value type not permitted by 'type' constraint", "type"},
    {"Failed to match against any enum values", "enum"},
    {"'const' constraint", "const"},
    {"Expected number greater than or equal to", "minimum"},
    {"Expected number greater than", "exclusiveMinimum"},
    {"Expected number less than or equal to", "maximum"},
    {"Expected number less than", "exclusiveMaximum"},
    {"String should be no fewer than", "minLength"},
    {"String should be no more than", "maxLength"},
    {"'pattern' constraint", "pattern"},
    {"String should be a valid", "format"},
    {"String is not a valid", "format"},
    {"Array should contain no fewer than", "minItems"},
    {"Array should contain no more than", "maxItems"},
    {"Object should have no fewer than", "minProperties"},
    {"Object should have no more than", "maxProperties"},
    {"oneOf constraint", "oneOf"},
    {"exactly one child schema", "oneOf"},
    {"anyOf constraint", "anyOf"},
    {"'not' constraint", "not"},
    {"'properties' or 'additionalProperties' constraints", "additionalProperties"},
    {"Missing dependency", "dependencies"},
    {"if-then-else", "if"},
    {"uniqueness constraint", "uniqueItems"},
    {"'contains' constraint", "contains"},
    {"multiple of", "multipleOf"},
    {"more items than allowed by items constraint", "additionalItems"},
    {"using 'items' constraint or 'additionalItems' constraint", "additionalItems"},
    {"Failed to any values against subschema", "contains"},
};

}  // namespace

std::string keyword_for_description(std::string_view description) {
  for (const auto& [fragment, keyword] : fragments) {
    if (description.find(fragment) != std::string_view::npos) return std::string(keyword);
  }
  return "schema";
}

std::vector<schema_finding> findings_from_results(const valijson::ValidationResults& results) {
  std::vector<schema_finding> out;
  for (const auto& error : results) {
    std::string keyword = keyword_for_description(error.description);
    if (!keyword.empty()) out.push_back({context_to_pointer(error.context), keyword, error.description});
  }
  return out;
}

}  // namespace drover::protocols
