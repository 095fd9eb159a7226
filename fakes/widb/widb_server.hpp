#pragma once
// The WiDB mobile log streaming fake (docs/protocols/widb.md): phones send startSession,
// logDump, deviceMetrics and endSession on /ws and never get an answer; dashboards on the same
// endpoint send associateUser with an apiKey and from then on receive, for every phone session
// with that apiKey, one logData per logDump (each line parsed into an entry) and every
// deviceMetrics unchanged. Correct by default; named faults each break one rule.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"

namespace drover::fakes {

struct widb_config {
  listen_options listen;
  std::vector<std::string> faults;  // for every connection (validated by start_widb)
  std::string path = "/ws";         // the endpoint; any other path is refused with HTTP 404
  std::size_t max_message = 8u << 20;  // largest inbound frame in bytes (a bigger one: close 1009)
  // How logData entries look (docs/protocols/widb.md §7.3 leaves it to the server):
  // objects: one parsed object per line (a string for a line in no format);
  // html: like the real server, one rendered <tr> row string per run of consecutive parsed
  // lines sharing a time and a level, texts joined with <br> and HTML-escaped.
  enum class entry_style { objects, html };
  entry_style entries = entry_style::objects;
};

const fault_table& widb_faults();

// Binds and starts serving; returns once listening. Throws usage_error (unknown fault, bad
// address, empty path). The returned server stops when destroyed.
std::unique_ptr<fake_server> start_widb(const widb_config& config);

}  // namespace drover::fakes
