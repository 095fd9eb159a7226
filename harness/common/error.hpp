#pragma once
// Typed errors raised at the boundaries (flags, files, Lua, JSON, network set-up).
// Each carries the exit code the CLI returns for it; messages are written for the user.
#include <stdexcept>
#include <string>

namespace drover {

// Exit codes (DESIGN.md): 0 ok, 1 failed checks/thresholds, 2 usage or configuration,
// 3 target unreachable, 4 internal, 130 interrupted.
enum class exit_code : int {
  ok = 0,
  failed = 1,
  usage = 2,
  unreachable = 3,
  internal = 4,
  interrupted = 130,
};

// A problem the user can fix: bad flag, unreadable file, broken scenario, bad schema.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file could not be read or written; the message names the path.
class file_error : public usage_error {
 public:
  using usage_error::usage_error;
};

// A scenario (Lua) failed to load or declared something invalid.
class scenario_error : public usage_error {
 public:
  using usage_error::usage_error;
};

}  // namespace drover
