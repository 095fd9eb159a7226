#pragma once
// Internal to the schema walks (schema_check.cpp, schema_explain.cpp): the Valijson types
// they share over Boost.JSON, and how deep they descend before leaving the rest to Valijson.
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/subschema.hpp>
#include <valijson/validation_visitor.hpp>

namespace drover::protocols::walk {

using adapter = valijson::adapters::BoostJsonAdapter;
using visitor = valijson::ValidationVisitor<adapter>;
using valijson::Subschema;
namespace vc = valijson::constraints;

// Deeper than any message we validate; stops a schema whose "$ref"s loop without descending.
inline constexpr int max_depth = 64;

}  // namespace drover::protocols::walk
