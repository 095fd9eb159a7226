#include "harness/protocols/protocol_catalog.hpp"

#include <algorithm>
#include <cstdlib>

#include "harness/common/data_root.hpp"
#include "harness/common/error.hpp"


namespace drover::protocols {

protocol_catalog protocol_catalog::load(const std::filesystem::path& schemas_root) {
  protocol_catalog catalog;
  catalog.root_ = schemas_root;
  std::error_code ec;
  if (!std::filesystem::is_directory(schemas_root, ec)) {
    throw file_error(schemas_root.string() + ": schemas folder does not exist (set DROVER_SCHEMAS to the folder)");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(schemas_root, ec)) {
    if (!entry.is_directory() || entry.path().filename() == "harness") continue;
    auto file = entry.path() / "protocol.json";
    if (std::filesystem::exists(file)) files.push_back(file);
  }
  if (ec) throw file_error(schemas_root.string() + ": cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    protocol p = protocol::load(file);
    if (catalog.find(p.name())) {
      throw usage_error(file.string() + ": protocol name \"" + p.name() + "\" is used by another protocol.json too");
    }
    catalog.protocols_.push_back(std::move(p));
  }
  std::sort(catalog.protocols_.begin(), catalog.protocols_.end(),
            [](const protocol& a, const protocol& b) { return a.name() < b.name(); });
  return catalog;
}

const protocol* protocol_catalog::find(std::string_view name) const {
  for (const auto& p : protocols_) {
    if (p.name() == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> protocol_catalog::names() const {
  std::vector<std::string> out;
  for (const auto& p : protocols_) out.push_back(p.name());
  return out;
}

std::filesystem::path default_schemas_root() {
  if (const char* env = std::getenv("DROVER_SCHEMAS"); env && *env) return env;
  return data_root() / "schemas";  // DROVER_ROOT, installed share/drover, source tree
}

}  // namespace drover::protocols
