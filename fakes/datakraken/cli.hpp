#pragma once
// `drover fake datakraken [--port P] [--host H] [--threads N] [--fault NAME]... [--list-faults]
// [--ticket-ttl DUR] [--listeners click,mousemove] [--max-sessions N] [--max-message BYTES]`.
// `serve` is fake_main's loop (prints the listening line, serves until SIGINT/SIGTERM, returns
// 0). Returns the exit code (2 for usage errors).
#include <functional>
#include <memory>

#include "fakes/common/server.hpp"

namespace drover::fakes {

using datakraken_serve_function = int (*)(const std::function<std::unique_ptr<fake_server>()>& start);
int datakraken_main(int argc, char** argv, datakraken_serve_function serve);

}  // namespace drover::fakes
