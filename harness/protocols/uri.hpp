#pragma once
// The little of RFC 3986 that schema references need: resolving a reference against a base
// URI, splitting off the fragment, and file:// URIs for schema files. Pure, any thread.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace drover::protocols {

// RFC 3986 section 5.2 (with dot-segment removal). A base without a scheme is treated as a
// path, so "dir/a.json" + "../b.json" -> "b.json".
std::string resolve_uri(std::string_view base, std::string_view reference);

// "doc#frag" -> {"doc", "frag"}; no '#' -> {"uri", ""}.
std::pair<std::string, std::string> split_fragment(std::string_view uri);

// Decodes %XX sequences; malformed ones are kept as they are.
std::string percent_decode(std::string_view text);

std::string file_uri(const std::filesystem::path& path);  // absolute, normalised
bool is_file_uri(std::string_view uri);
std::filesystem::path path_from_file_uri(std::string_view uri);
// For messages: a file:// URI as its path, any other URI as it is.
std::string display_uri(std::string_view uri);

}  // namespace drover::protocols
