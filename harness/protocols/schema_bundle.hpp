#pragma once
// Turns a draft-07 schema whose "$ref"s reach into other documents into one self-contained
// document that Valijson compiles with local references only:
//   {"$ref": "#/d0<start>", "d0": <root document>, "d1": <first referenced document>, ...}
// Every "$ref" is resolved against its base URI (the document's URI, changed by "$id" as
// draft-07 says) and rewritten to "#/dN/<pointer>". Each "format" keyword is renamed to
// "x-drover-format" so our own format checks run instead of Valijson's (see formats.hpp).
//
// Why not Valijson's own fetchDoc callback: Valijson 1.0 ignores "$id", resolves relative
// URIs by concatenation, and keys its schema cache by the JSON pointer alone, so
// "common.schema.json#/definitions/ts" and the root's own "#/definitions/ts" are compiled
// as the same subschema. Bundling keeps every pointer unique.
//
// Pure function of its inputs plus whatever the loader reads; any thread.
#include <functional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace drover::protocols {

// Returns the document at an absolute URI (fragment removed). Throws usage_error (or
// file_error) naming the URI when it cannot.
using document_loader = std::function<boost::json::value(const std::string& uri)>;

// `start_pointer` ("" = whole document, or e.g. "/definitions/ts") picks the subschema the
// bundle validates against. Throws usage_error naming the document and the "$ref" for a
// reference that cannot be resolved.
boost::json::value bundle_schema(boost::json::value root, const std::string& root_uri,
                                 const document_loader& loader, std::string_view start_pointer = "");

// The keyword "format" is renamed to in bundles.
inline constexpr std::string_view native_format_keyword = "x-drover-format";

// Calls `fn(schema_object, pointer)` for every schema object reachable through draft-07
// schema keywords (properties, items, allOf, definitions, ...), root first. Data keywords
// (enum, const, default, examples) are not entered.
void for_each_subschema(const boost::json::value& schema,
                        const std::function<void(const boost::json::object&, const std::string&)>& fn);

}  // namespace drover::protocols
