#pragma once
// Every protocol under a schemas root (schemas/<p>/protocol.json; schemas/harness and
// folders without protocol.json are not protocols). Loaded once at start-up, then
// read-only and shared by all threads.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/protocols/protocol.hpp"

namespace drover::protocols {

class protocol_catalog {
 public:
  // Loads and compiles every protocol. Throws file_error (root missing or unreadable, a
  // file unreadable) or usage_error (a bad protocol.json or schema), naming the file.
  static protocol_catalog load(const std::filesystem::path& schemas_root);

  const protocol* find(std::string_view name) const;  // nullptr if unknown
  std::vector<std::string> names() const;              // sorted
  const std::vector<protocol>& protocols() const { return protocols_; }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::vector<protocol> protocols_;  // sorted by name
};

// Where the schemas are: $DROVER_SCHEMAS if set; else <dir of /proc/self/exe>/../share/
// drover/schemas if it exists (an installed drover); else the source tree's schemas/.
std::filesystem::path default_schemas_root();

}  // namespace drover::protocols
