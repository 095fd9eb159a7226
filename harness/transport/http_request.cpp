// The plain-data parts of the HTTP client: error words, URL parsing, request checks.
#include <cctype>
#include <string>

#include "harness/common/error.hpp"
#include "harness/transport/http_client.hpp"

namespace drover::transport {

const char* to_string(http_error kind) {
  switch (kind) {
    case http_error::none: return "none";
    case http_error::dns: return "dns";
    case http_error::connection_refused: return "connection_refused";
    case http_error::connect_timeout: return "connect_timeout";
    case http_error::tls: return "tls";
    case http_error::timeout: return "timeout";
    case http_error::reset: return "reset";
    case http_error::body_too_big: return "body_too_big";
    case http_error::protocol: return "protocol";
    case http_error::cancelled: return "cancelled";
    case http_error::other: return "other";
  }
  return "other";
}

ws_url parse_http_url(std::string_view text) {
  // Same grammar as ws:// and wss:// (the default ports too), so the WebSocket parser does it.
  std::string as_ws;
  if (text.rfind("http://", 0) == 0) as_ws = "ws://" + std::string(text.substr(7));
  else if (text.rfind("https://", 0) == 0) as_ws = "wss://" + std::string(text.substr(8));
  else throw usage_error("invalid URL '" + std::string(text) + "': the scheme must be http:// or https://");
  try {
    return parse_ws_url(as_ws);
  } catch (const usage_error& e) {
    std::string why = e.what();
    auto at = why.find("': ");
    throw usage_error("invalid URL '" + std::string(text) + "': " + (at == std::string::npos ? why : why.substr(at + 3)));
  }
}

namespace {
// RFC 9110 token characters (method and header names).
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (std::isalnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}
}  // namespace

std::string check_http_request(const http_request& request) {
  if (!is_token(request.method)) return "the method '" + request.method + "' is not a valid HTTP method name";
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) return "the header name '" + name + "' is not valid (letters, digits and !#$%&'*+-.^_`|~ only)";
    for (unsigned char c : value)
      if (c == '\r' || c == '\n' || c == 0) return "the value of header '" + name + "' contains CR, LF or NUL";
  }
  return {};
}

}  // namespace drover::transport
