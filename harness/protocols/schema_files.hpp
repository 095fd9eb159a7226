#pragma once
// Reading schema and protocol files from disk. Any thread.
#include <filesystem>
#include <map>
#include <string>

#include <boost/json/value.hpp>

#include "harness/protocols/schema_bundle.hpp"

namespace drover::protocols {

// Parses a JSON file (comments not allowed). Throws file_error naming the path: unreadable,
// or not JSON (with line and column).
boost::json::value read_json_file(const std::filesystem::path& path);

// Loader for bundle_schema: file:// URIs are read from disk; any other URI must be the
// "$id" of a file in `ids` (as made by index_schema_ids). Throws usage_error otherwise.
document_loader file_loader(std::map<std::string, std::filesystem::path> ids = {});

// Maps the root "$id" of every *.json file under `dir` (recursively) to its path, so a
// schema may refer to a sibling by its "$id". Files that do not parse are skipped here
// (they fail on their own when compiled).
std::map<std::string, std::filesystem::path> index_schema_ids(const std::filesystem::path& dir);

}  // namespace drover::protocols
