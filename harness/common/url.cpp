// ws:// URLs on Boost.URL (RFC 3986 parsing and percent-encoding). What is ours: the rules a
// WebSocket client adds (scheme, no user info, port range, the request target) and the
// messages a user reads when a URL is refused.
#include "harness/common/url.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "harness/common/error.hpp"

namespace drover {

namespace {
[[noreturn]] void bad_url(std::string_view text, const std::string& why) {
  throw usage_error("invalid URL '" + std::string(text) + "': " + why);
}

// Boost.URL says only where parsing stopped; name the usual mistakes instead.
[[noreturn]] void explain_parse_failure(std::string_view text, std::string_view rest, const std::string& detail) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; }))
    bad_url(text, "spaces and control characters must be percent-encoded");
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (!authority.empty() && authority.front() == '[' && authority.find(']') == std::string_view::npos)
    bad_url(text, "unclosed '[' in IPv6 host");
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    auto port = authority.substr(colon + 1);
    if (!std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      bad_url(text, "the port must be a number");
  }
  bad_url(text, "not a valid URL (" + detail + ")");
}
}  // namespace

ws_url parse_ws_url(std::string_view text) {
  ws_url url;
  std::string_view rest;
  if (text.rfind("ws://", 0) == 0) {
    rest = text.substr(5);
  } else if (text.rfind("wss://", 0) == 0) {
    url.secure = true;
    rest = text.substr(6);
  } else {
    bad_url(text, "the scheme must be ws:// or wss://");
  }
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) explain_parse_failure(text, rest, parsed.error().message());
  const boost::urls::url_view& u = *parsed;
  if (u.has_userinfo()) bad_url(text, "user info is not supported");
  switch (u.host_type()) {
    case boost::urls::host_type::ipv6: url.host = u.host_ipv6_address().to_string(); break;
    case boost::urls::host_type::ipvfuture: bad_url(text, "IPvFuture hosts are not supported");
    default: url.host = std::string(u.encoded_host()); break;
  }
  if (url.host.empty()) bad_url(text, "the host is missing");
  if (u.has_port()) {
    std::string_view port = u.port();
    // Boost.URL 1.81 reads "ws://h:x/" as port "" and path "x/" (RFC 3986 wants a path that
    // follows an authority to start with '/').
    auto path = u.encoded_path();
    if (!path.empty() && path.front() != '/') bad_url(text, "the port must be a number");
    if (port.empty()) bad_url(text, "the port is empty");
    if (port.size() > 5 || u.port_number() < 1 || std::stoi(std::string(port)) > 65535)
      bad_url(text, "the port must be between 1 and 65535");
    url.port = std::string(port);
  } else {
    url.port = url.secure ? "443" : "80";
  }
  // Boost.URL 1.81 also takes "ws://[::1]x/" as host "::1" and path "x/": a request line
  // needs the path to start with '/' (found by tests/fuzz, target url).
  if (!u.encoded_path().empty() && u.encoded_path().front() != '/') bad_url(text, "unexpected text after the host");
  // The request target: path and query as written (the fragment never goes on the wire).
  url.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) url.target += "?" + std::string(u.encoded_query());
  return url;
}

std::string ws_url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (secure && port == "443") || (!secure && port == "80");
  return default_port ? h : h + ":" + port;
}

std::string ws_url::to_string() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(secure ? "wss://" : "ws://") + h + ":" + port + target;
}

std::string percent_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string append_query(std::string target, const std::vector<std::pair<std::string, std::string>>& params) {
  for (const auto& [key, value] : params) {
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += percent_encode(key) + "=" + percent_encode(value);
  }
  return target;
}

}  // namespace drover
