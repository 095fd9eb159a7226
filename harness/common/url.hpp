#pragma once
// WebSocket URL parsing: ws:// and wss:// with host (name, IPv4 or [IPv6]), optional port,
// path and query. Pure function, any thread.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drover {

struct ws_url {
  bool secure = false;      // wss://
  std::string host;         // without brackets for IPv6 ("::1")
  std::string port;         // always set: defaults 80 / 443
  std::string target = "/"; // path + "?" + query, as sent in the request line
  // "host:port" as it goes into the Host header (brackets kept for IPv6, port omitted if default).
  std::string host_header() const;
  std::string to_string() const;
};

// Throws usage_error with the URL and the reason when it is not a ws:// or wss:// URL.
ws_url parse_ws_url(std::string_view text);

// Appends query parameters (percent-encoded) to a target, keeping an existing query.
std::string append_query(std::string target, const std::vector<std::pair<std::string, std::string>>& params);

std::string percent_encode(std::string_view text);

}  // namespace drover
