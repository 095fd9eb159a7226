#include "harness/common/url.hpp"

#include <cctype>

#include "harness/common/error.hpp"

namespace drover {

namespace {
[[noreturn]] void bad_url(std::string_view text, const std::string& why) {
  throw usage_error("invalid URL '" + std::string(text) + "': " + why);
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
  auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) bad_url(text, "user info is not supported");
  if (authority.empty()) bad_url(text, "the host is missing");
  std::string_view port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) bad_url(text, "unclosed '[' in IPv6 host");
    url.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad_url(text, "unexpected text after IPv6 host");
      port = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      url.host = std::string(authority.substr(0, colon));
      port = authority.substr(colon + 1);
    } else {
      url.host = std::string(authority);
    }
  }
  if (url.host.empty()) bad_url(text, "the host is missing");
  if (!port.empty() || authority.back() == ':') {
    if (port.empty()) bad_url(text, "the port is empty");
    for (char c : port)
      if (!std::isdigit(static_cast<unsigned char>(c))) bad_url(text, "the port must be a number");
    if (port.size() > 5 || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535)
      bad_url(text, "the port must be between 1 and 65535");
    url.port = std::string(port);
  } else {
    url.port = url.secure ? "443" : "80";
  }
  auto hash = tail.find('#');
  if (hash != std::string_view::npos) tail = tail.substr(0, hash);
  if (tail.empty()) {
    url.target = "/";
  } else if (tail.front() == '?') {
    url.target = "/" + std::string(tail);
  } else {
    url.target = std::string(tail);
  }
  for (char c : url.target)
    if (static_cast<unsigned char>(c) <= 0x20) bad_url(text, "spaces and control characters must be percent-encoded");
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
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string append_query(std::string target, const std::vector<std::pair<std::string, std::string>>& params) {
  for (const auto& [key, value] : params) {
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += percent_encode(key) + "=" + percent_encode(value);
  }
  return target;
}

}  // namespace drover
