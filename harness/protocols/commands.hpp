#pragma once
// `drover validate` and `drover protocols` as library functions; the CLI wires them in.
// Run on the calling thread; write only to the streams given.
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/protocols/protocol_catalog.hpp"

namespace drover::protocols {

// drover validate PROTOCOL FILE.json...
// Each FILE holds one JSON message; "-" reads standard input (`in`), one message per line.
// direction: "auto" (a message valid as either direction passes; a failure is reported
// against the direction that identified the message), "client" or "server". dialect: ""
// for the protocol's default. Prints one line per violation,
//   FILE:LINE: MESSAGE_TYPE /pointer: keyword: detail
// (MESSAGE_TYPE "(unknown)" when unidentified, "/" for the whole message), then a count line.
// Returns 0 all valid, 1 any invalid, 2 unreadable input, unknown protocol/dialect/direction.
int validate_command(const protocol_catalog& catalog, std::string protocol, std::vector<std::string> files,
                     std::string direction, std::string dialect, std::ostream& out, std::ostream& err,
                     std::istream& in);
// Same, reading "-" from std::cin.
int validate_command(const protocol_catalog& catalog, std::string protocol, std::vector<std::string> files,
                     std::string direction, std::string dialect, std::ostream& out, std::ostream& err);

// drover protocols: each protocol, its messages (direction, name, schema or text) and close
// codes. Returns 0.
int protocols_command(const protocol_catalog& catalog, std::ostream& out);

}  // namespace drover::protocols
