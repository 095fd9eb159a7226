#pragma once
// `drover fake remotedev [--port P] [--host H] [--threads N] [--fault NAME]... [--list-faults]
// [--protocol v1|v2] [--ping-interval DUR] [--ping-timeout DUR] [--handshake-timeout DUR]
// [--max-message BYTES]`. `serve` is fake_main's loop (prints the listening line, serves until
// SIGINT/SIGTERM, returns 0). Returns the exit code (2 for usage errors).
#include <functional>
#include <memory>
#include <string>

#include "fakes/common/server.hpp"
#include "fakes/remotedev/remotedev_server.hpp"

namespace drover::fakes {

using remotedev_serve_function = int (*)(const std::function<std::unique_ptr<fake_server>()>& start);
int remotedev_main(int argc, char** argv, remotedev_serve_function serve);

// "v1"/"1" or "v2"/"2"; throws usage_error naming anything else.
socketcluster_protocol parse_socketcluster_protocol(const std::string& text);

}  // namespace drover::fakes
