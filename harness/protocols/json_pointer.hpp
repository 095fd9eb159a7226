#pragma once
// RFC 6901 JSON pointers: building them, and turning Valijson's error context
// (["<root>", "[d]", "[heartbeat_interval]"]) into one. Pure functions, any thread.
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace drover::protocols {

// Escapes one reference token: "~" -> "~0", "/" -> "~1".
std::string escape_pointer_token(std::string_view token);

// pointer + "/" + escaped token.
std::string append_pointer(std::string_view pointer, std::string_view token);

// Valijson context -> pointer. "<root>" is dropped; "[name]" becomes "/name" (escaped).
// Valijson writes array indexes and property names alike ("[0]"), so a property named "0"
// and index 0 give the same pointer, which is also what RFC 6901 does.
std::string context_to_pointer(const std::vector<std::string>& context);

// A dotted path as used in protocol.json match keys ("data.channel") -> "/data/channel".
std::string dotted_path_to_pointer(std::string_view dotted);

// Follows a dotted path ("d.type"; a numeric segment indexes an array). nullptr if absent.
const boost::json::value* find_dotted(const boost::json::value& root, std::string_view dotted);

}  // namespace drover::protocols
