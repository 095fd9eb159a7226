#include "harness/common/data_root.hpp"

#include <cstdlib>

#include "harness/common/error.hpp"

#ifndef DROVER_SOURCE_ROOT
#define DROVER_SOURCE_ROOT ""
#endif

namespace drover {
namespace {

// A data root must hold schemas/: every command needs the catalog, and an empty or unrelated
// folder (say /usr/share/drover left half-removed) must not pass for one.
bool holds_data(const std::filesystem::path& root) {
  std::error_code ec;
  return std::filesystem::is_directory(root / "schemas", ec);
}

}  // namespace

std::vector<data_root_candidate> data_root_candidates() {
  std::vector<data_root_candidate> out;
  if (const char* env = std::getenv("DROVER_ROOT"); env && *env) {
    out.push_back({env, "DROVER_ROOT"});
    return out;  // explicit: nothing else is searched
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back({(exe.parent_path() / ".." / "share" / "drover").lexically_normal(), "installed"});
  if (std::string_view(DROVER_SOURCE_ROOT).size() > 0) out.push_back({DROVER_SOURCE_ROOT, "source tree"});
  return out;
}

std::filesystem::path data_root() {
  auto candidates = data_root_candidates();
  for (const auto& c : candidates) {
    if (holds_data(c.path)) return c.path;
  }
  if (!candidates.empty() && candidates.front().origin == "DROVER_ROOT") {
    throw file_error("DROVER_ROOT=" + candidates.front().path.string() +
                     " does not hold drover's data (no schemas/ folder there); unset it to use the installed data");
  }
  std::string searched;
  for (const auto& c : candidates) searched += (searched.empty() ? "" : ", ") + c.path.string() + " (" + c.origin + ")";
  throw file_error("cannot find drover's data (schemas/, scenarios/): searched " + searched +
                   "; set DROVER_ROOT to the folder that holds them");
}

}  // namespace drover
