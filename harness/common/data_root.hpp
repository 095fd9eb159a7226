#pragma once
// Where drover's data lives: schemas/, scenarios/ (suites, examples, the Lua library in
// scenarios/lib) and docs/. Every place that builds a path to such a file asks here, so an
// installed drover (bin/drover + share/drover/) and a build-tree drover find the same files.
//
// Search order:
//   1. $DROVER_ROOT when set and non-empty. It wins over everything; when it is not a folder
//      holding schemas/ the lookup fails (file_error) instead of falling back: a user who names
//      a folder wants that folder, and a silent fallback would test other suites than asked.
//   2. <folder of /proc/self/exe>/../share/drover (the layout `cmake --install` and the Debian
//      package produce), when it holds schemas/.
//   3. The source tree the binary was built from (compiled in), when it holds schemas/: a
//      binary still in its build tree.
// None found: file_error naming every place searched.
//
// Threading: reads the environment and the file system; safe from any thread as long as
// nobody calls setenv meanwhile. Cheap enough to call per command, not meant for hot paths.
#include <filesystem>
#include <string>
#include <vector>

namespace drover {

std::filesystem::path data_root();

// The candidate folders in search order, each with where it came from ("DROVER_ROOT",
// "installed", "source tree"), for error messages and tests. Existence is not checked here.
struct data_root_candidate {
  std::filesystem::path path;
  std::string origin;
};
std::vector<data_root_candidate> data_root_candidates();

}  // namespace drover
