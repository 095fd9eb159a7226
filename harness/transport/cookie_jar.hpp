#pragma once
// A cookie jar (RFC 6265 basics) for one simulated client: stores the cookies of Set-Cookie
// answers and gives the Cookie header for a later request (http, https, ws or wss URL).
//
// Kept: Domain (host-only without it; a Domain that the host does not domain-match is
// refused), Path (default: the request path's directory), Max-Age (wins over Expires; <= 0
// deletes), Expires (the RFC 6265 date algorithm), Secure (sent over https/wss only). Ignored:
// HttpOnly and SameSite (no scripts, no cross-site context here), public suffixes.
// Cookies with the same name, domain and path replace each other; at most max_cookies are kept
// (the oldest go first).
//
// Threading: one jar per client, used on its worker's thread only. Times are wall-clock
// (system_clock), passed in so that tests can move time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/url.hpp"

namespace drover::transport {

class cookie_jar {
 public:
  using time_point = std::chrono::system_clock::time_point;
  static constexpr std::size_t max_cookies = 300;

  // One Set-Cookie header value received in answer to a request to url (url.secure: https or
  // wss). Returns false when the cookie was refused (malformed, or a foreign Domain); a cookie
  // that is already expired deletes its namesake and returns true.
  bool store(const ws_url& url, std::string_view set_cookie, time_point now = std::chrono::system_clock::now());

  // (name, value) of the cookies to send to url: longest path first, then oldest first.
  std::vector<std::pair<std::string, std::string>> cookies_for(const ws_url& url,
                                                               time_point now = std::chrono::system_clock::now());
  // The Cookie header value ("a=1; b=2"), "" when there is none.
  std::string header_for(const ws_url& url, time_point now = std::chrono::system_clock::now());

  void clear() { cookies_.clear(); }
  std::size_t size() const { return cookies_.size(); }

 private:
  struct cookie {
    std::string name, value, domain, path;
    bool host_only = true;
    bool secure = false;
    bool persistent = false;
    time_point expires{};
    std::uint64_t created = 0;  // order of creation (kept when a cookie is replaced)
  };
  void drop_expired(time_point now);

  std::vector<cookie> cookies_;
  std::uint64_t next_created_ = 0;
};

// Parses an HTTP date as RFC 6265 section 5.1.1 does (lenient: "Sun, 06 Nov 1994 08:49:37 GMT",
// "Sunday, 06-Nov-94 08:49:37 GMT", asctime). Returns false when it is not a date.
bool parse_cookie_date(std::string_view text, std::chrono::system_clock::time_point& out);

}  // namespace drover::transport
