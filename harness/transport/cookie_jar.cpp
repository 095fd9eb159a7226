// RFC 6265 section 5: the parsing and matching algorithms, in their order there.
#include "harness/transport/cookie_jar.hpp"

#include <algorithm>
#include <cctype>

namespace drover::transport {

namespace {

using sys_clock = std::chrono::system_clock;
constexpr long long max_lifetime_seconds = 400LL * 24 * 3600;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_ip(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6 (brackets already removed)
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

// 5.1.3: the host is the domain, or ends with "." + domain and is a name, not an IP address.
bool domain_match(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.' &&
         !is_ip(host);
}

std::string request_path(const ws_url& url) {
  std::string_view t = url.target;
  auto q = t.find('?');
  if (q != std::string_view::npos) t = t.substr(0, q);
  return t.empty() ? "/" : std::string(t);
}

// 5.1.4: the directory of the request path.
std::string default_path(const std::string& path) {
  if (path.empty() || path.front() != '/') return "/";
  auto last = path.rfind('/');
  return last == 0 ? "/" : path.substr(0, last);
}

bool path_match(std::string_view request, std::string_view cookie_path) {
  if (request == cookie_path) return true;
  if (!request.starts_with(cookie_path)) return false;
  return cookie_path.back() == '/' || request[cookie_path.size()] == '/';
}

bool is_date_delimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

// Leading digits of s (at most max_digits, at least min_digits) as a number; -1 when they are
// not there or more digits follow.
int leading_number(std::string_view s, std::size_t min_digits, std::size_t max_digits, std::size_t* used = nullptr) {
  std::size_t n = 0;
  int v = 0;
  while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) {
    if (++n > max_digits) return -1;
    v = v * 10 + (s[n - 1] - '0');
  }
  if (n < min_digits) return -1;
  if (used) *used = n;
  return v;
}

bool parse_time(std::string_view token, int& h, int& m, int& s) {
  std::size_t used = 0;
  if ((h = leading_number(token, 1, 2, &used)) < 0 || used >= token.size() || token[used] != ':') return false;
  token.remove_prefix(used + 1);
  if ((m = leading_number(token, 1, 2, &used)) < 0 || used >= token.size() || token[used] != ':') return false;
  token.remove_prefix(used + 1);
  return (s = leading_number(token, 1, 2)) >= 0;
}

}  // namespace

bool parse_cookie_date(std::string_view text, sys_clock::time_point& out) {
  static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  int hour = -1, minute = -1, second = -1, day = -1, month = -1, year = -1;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_date_delimiter(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_date_delimiter(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view token = text.substr(start, i - start);
    if (token.empty()) continue;
    int h, m, s;
    if (hour < 0 && parse_time(token, h, m, s)) {
      hour = h, minute = m, second = s;
    } else if (day < 0 && leading_number(token, 1, 2) >= 0) {
      day = leading_number(token, 1, 2);
    } else if (month < 0 && token.size() >= 3) {
      std::string prefix = lower(token.substr(0, 3));
      for (int k = 0; k < 12; ++k)
        if (prefix == months[k]) month = k + 1;
    } else if (year < 0 && leading_number(token, 2, 4) >= 0) {
      year = leading_number(token, 2, 4);
    }
  }
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (hour < 0 || day < 1 || day > 31 || month < 0 || year < 1601 || hour > 23 || minute > 59 || second > 59)
    return false;
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                   std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return false;
  // Nanosecond time points end in 2262: later dates (cookies "forever") become 2200.
  if (year > 2200) date = std::chrono::year_month_day{std::chrono::year{2200}, std::chrono::January, std::chrono::day{1}};
  out = std::chrono::sys_days{date} + std::chrono::hours(hour) + std::chrono::minutes(minute) +
        std::chrono::seconds(second);
  return true;
}

bool cookie_jar::store(const ws_url& url, std::string_view set_cookie, time_point now) {
  auto semi = set_cookie.find(';');
  std::string_view pair = set_cookie.substr(0, semi);
  auto eq = pair.find('=');
  if (eq == std::string_view::npos) return false;
  cookie c;
  c.name = std::string(trim(pair.substr(0, eq)));
  c.value = std::string(trim(pair.substr(eq + 1)));
  if (c.name.empty()) return false;

  std::string host = lower(url.host);
  std::string domain_attr;
  std::string path_attr;
  bool have_max_age = false;
  std::string_view attrs = semi == std::string_view::npos ? std::string_view{} : set_cookie.substr(semi + 1);
  while (!attrs.empty()) {
    auto next = attrs.find(';');
    std::string_view av = attrs.substr(0, next);
    attrs = next == std::string_view::npos ? std::string_view{} : attrs.substr(next + 1);
    auto aeq = av.find('=');
    std::string name = lower(trim(av.substr(0, aeq)));
    std::string_view value = aeq == std::string_view::npos ? std::string_view{} : trim(av.substr(aeq + 1));
    if (name == "expires" && !have_max_age) {
      time_point t;
      if (parse_cookie_date(value, t)) c.persistent = true, c.expires = t;
    } else if (name == "max-age") {
      std::string_view digits = value.starts_with('-') ? value.substr(1) : value;
      if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char d) { return std::isdigit(static_cast<unsigned char>(d)); }))
        continue;
      long long seconds = digits.size() > 9 ? max_lifetime_seconds : std::stoll(std::string(digits));
      if (value.starts_with('-')) seconds = -seconds;
      have_max_age = c.persistent = true;
      c.expires = seconds <= 0 ? time_point::min() : now + std::chrono::seconds(seconds);
    } else if (name == "domain" && !value.empty()) {
      domain_attr = lower(value.starts_with('.') ? value.substr(1) : value);
    } else if (name == "path") {
      path_attr = std::string(value);
    } else if (name == "secure") {
      c.secure = true;
    }
  }
  if (!domain_attr.empty()) {
    if (!domain_match(host, domain_attr)) return false;
    c.host_only = false;
    c.domain = domain_attr;
  } else {
    c.domain = host;
  }
  c.path = path_attr.empty() || path_attr.front() != '/' ? default_path(request_path(url)) : path_attr;

  auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const cookie& o) {
    return o.name == c.name && o.domain == c.domain && o.path == c.path;
  });
  // RFC 6265bis caps a cookie's life at 400 days; it also keeps time arithmetic far from overflow.
  if (c.persistent && c.expires > now + std::chrono::seconds(max_lifetime_seconds))
    c.expires = now + std::chrono::seconds(max_lifetime_seconds);
  bool expired = c.persistent && c.expires <= now;
  if (same != cookies_.end()) {
    c.created = same->created;
    if (expired) cookies_.erase(same);
    else *same = std::move(c);
    return true;
  }
  if (expired) return true;
  c.created = next_created_++;
  drop_expired(now);
  if (cookies_.size() >= max_cookies) cookies_.erase(cookies_.begin());  // kept in creation order
  cookies_.push_back(std::move(c));
  return true;
}

void cookie_jar::drop_expired(time_point now) {
  std::erase_if(cookies_, [now](const cookie& c) { return c.persistent && c.expires <= now; });
}

std::vector<std::pair<std::string, std::string>> cookie_jar::cookies_for(const ws_url& url, time_point now) {
  drop_expired(now);
  std::string host = lower(url.host);
  std::string path = request_path(url);
  std::vector<const cookie*> chosen;
  for (const auto& c : cookies_) {
    bool domain_ok = c.host_only ? host == c.domain : domain_match(host, c.domain);
    if (domain_ok && path_match(path, c.path) && (!c.secure || url.secure)) chosen.push_back(&c);
  }
  std::stable_sort(chosen.begin(), chosen.end(), [](const cookie* a, const cookie* b) {
    if (a->path.size() != b->path.size()) return a->path.size() > b->path.size();
    return a->created < b->created;
  });
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto* c : chosen) out.emplace_back(c->name, c->value);
  return out;
}

std::string cookie_jar::header_for(const ws_url& url, time_point now) {
  std::string out;
  for (const auto& [name, value] : cookies_for(url, now)) {
    if (!out.empty()) out += "; ";
    out += name + "=" + value;
  }
  return out;
}

}  // namespace drover::transport
