#pragma once
// `drover fake hostile --mode NAME [--port P] [--host H] [--threads N] [--max-life MS]
// [--cert-out FILE]` and `--list-modes`. `serve` is fake_main's loop (prints the listening
// line, serves until SIGINT/SIGTERM, returns 0). Returns the exit code (2 for usage errors).
#include <functional>
#include <memory>

#include "fakes/common/server.hpp"

namespace drover::fakes {

using serve_function = int (*)(const std::function<std::unique_ptr<fake_server>()>& start);
int hostile_main(int argc, char** argv, serve_function serve);

}  // namespace drover::fakes
