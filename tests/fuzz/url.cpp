// Fuzz target: the WebSocket URL parser (harness/common/url.*). Input: URL, then NUL-separated
// query keys and values for append_query. A usage_error is the contract for a bad URL; an
// accepted URL must print (to_string) as a URL that parses back to the same parts, and
// append_query must keep the target free of spaces and control characters.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/error.hpp"
#include "harness/common/url.hpp"
#include "tests/fuzz/fuzz_split.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "url: %s\n  first:  %s\n  second: %s\n", what, a.c_str(), b.c_str());
  std::abort();
}

bool clean_target(const std::string& target) {
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return !target.empty() && target.front() == '/';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto fields = drover::fuzz::split_fields(data, size);
  drover::ws_url url;
  try {
    url = drover::parse_ws_url(fields[0]);
  } catch (const drover::usage_error&) {
    return 0;
  }
  if (url.host.empty() || url.port.empty()) fail("accepted without host or port", std::string(fields[0]), url.to_string());
  if (!clean_target(url.target)) fail("accepted a target unfit for a request line", std::string(fields[0]), url.target);
  const std::string printed = url.to_string();
  drover::ws_url again;
  try {
    again = drover::parse_ws_url(printed);
  } catch (const drover::usage_error& e) {
    fail("to_string() does not parse", std::string(fields[0]), printed + " -> " + e.what());
  }
  if (again.secure != url.secure || again.host != url.host || again.port != url.port || again.target != url.target)
    fail("to_string() parses to other parts", std::string(fields[0]), again.to_string());
  if (again.host_header() != url.host_header()) fail("host_header differs", url.host_header(), again.host_header());
  for (char c : url.host_header())
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) fail("Host header with a control character", printed, url.host_header());

  std::vector<std::pair<std::string, std::string>> params;
  for (std::size_t i = 1; i + 1 < fields.size(); i += 2) params.emplace_back(fields[i], fields[i + 1]);
  const std::string target = drover::append_query(url.target, params);
  if (!clean_target(target)) fail("append_query made a target unfit for a request line", url.target, target);
  if (!params.empty() && target.find('?') == std::string::npos) fail("append_query lost the query", url.target, target);
  return 0;
}
