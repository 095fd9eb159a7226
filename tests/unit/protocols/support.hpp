#pragma once
// Helpers for the protocols unit tests: the data folder, a compiled inline schema, and a
// temporary folder tree for the error cases.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/protocols/protocol.hpp"
#include "harness/protocols/schema_validator.hpp"

namespace drover::protocols::test {

inline std::filesystem::path data_dir() {
  return std::filesystem::path(DROVER_SOURCE_ROOT) / "tests" / "unit" / "protocols" / "data";
}

inline const protocol& mini() {
  static const protocol p = protocol::load(data_dir() / "mini" / "protocol.json");
  return p;
}

// An inline schema with no other documents to reach.
inline schema_validator compile(std::string_view schema_json, std::string name = "TEST") {
  return schema_validator(boost::json::parse(schema_json), "", [](const std::string& uri) -> boost::json::value {
    throw usage_error("no documents here: " + uri);
  }, std::move(name));
}

class temp_tree {
 public:
  temp_tree() {
    static std::atomic<int> counter{0};
    root_ = std::filesystem::temp_directory_path() /
            ("drover-protocols-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(root_);
  }
  ~temp_tree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  temp_tree(const temp_tree&) = delete;
  temp_tree& operator=(const temp_tree&) = delete;

  std::filesystem::path write(const std::string& rel, std::string_view content) const {
    auto path = root_ / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace drover::protocols::test
