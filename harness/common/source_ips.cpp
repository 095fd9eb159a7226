#include "harness/common/source_ips.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "harness/common/error.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24  // Linux >= 4.2; older C libraries lack the name
#endif

namespace drover {

namespace {

namespace ip = boost::asio::ip;
using u128 = unsigned __int128;

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

[[noreturn]] void bad(std::string_view flag, const std::string& what) {
  throw usage_error(std::string(flag) + ": " + what);
}

ip::address parse_address(std::string_view flag, const std::string& text, std::string_view part) {
  boost::system::error_code ec;
  auto a = ip::make_address(text, ec);
  if (ec) bad(flag, "'" + text + "' in '" + std::string(part) + "' is not an IP address");
  if (a.is_unspecified() || a.is_multicast())
    bad(flag, "'" + text + "' is not a unicast address (connections cannot come from it)");
  if (a.is_v4() && a.to_v4() == ip::address_v4::broadcast())
    bad(flag, "'" + text + "' is the broadcast address");
  return a;
}

// Addresses as numbers, so that ranges and blocks are arithmetic. IPv4 in the low 32 bits.
u128 to_number(const ip::address& a) {
  if (a.is_v4()) return a.to_v4().to_uint();
  auto bytes = a.to_v6().to_bytes();
  u128 n = 0;
  for (auto b : bytes) n = (n << 8) | b;
  return n;
}

ip::address from_number(u128 n, bool v4, unsigned long scope) {
  if (v4) return ip::address_v4(static_cast<std::uint32_t>(n));
  ip::address_v6::bytes_type bytes{};
  for (int i = 15; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  return ip::address_v6(bytes, scope);
}

unsigned long scope_of(const ip::address& a) { return a.is_v6() ? a.to_v6().scope_id() : 0; }

std::string count_text(u128 n) {
  if (n > static_cast<u128>(1) << 63) return "more than 9.2e18";
  return std::to_string(static_cast<unsigned long long>(n));
}

void too_many(std::string_view flag, const std::string& part, u128 n) {
  if (n > max_source_ips)
    bad(flag, "'" + part + "' holds " + count_text(n) + " addresses, at most " + std::to_string(max_source_ips) +
                  " are allowed");
}

void add_range(std::vector<ip::address>& out, u128 first, u128 last, bool v4, unsigned long scope) {
  for (u128 n = first;; ++n) {
    out.push_back(from_number(n, v4, scope));
    if (n == last) break;
  }
}

void parse_part(std::string_view flag, const std::string& part, std::vector<ip::address>& out) {
  if (auto slash = part.find('/'); slash != std::string::npos) {
    auto base = parse_address(flag, trim(std::string_view(part).substr(0, slash)), part);
    std::string bits_text = trim(std::string_view(part).substr(slash + 1));
    int width = base.is_v4() ? 32 : 128;
    int prefix = -1;
    if (!bits_text.empty() && bits_text.size() <= 3 &&
        std::all_of(bits_text.begin(), bits_text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      prefix = std::stoi(bits_text);
    if (prefix < 0 || prefix > width)
      bad(flag, "'" + part + "': the prefix length must be a number from 0 to " + std::to_string(width));
    int host_bits = width - prefix;
    if (host_bits > 17)  // 2^17 > 65,536 even without network/broadcast; also keeps the shifts below defined
      bad(flag, "'" + part + "' holds 2^" + std::to_string(host_bits) + " addresses, at most " +
                    std::to_string(max_source_ips) + " are allowed");
    u128 size = static_cast<u128>(1) << host_bits;
    u128 net = to_number(base);
    if (net & (size - 1)) {
      auto network = from_number(net & ~(size - 1), base.is_v4(), scope_of(base));
      bad(flag, "'" + part + "' has host bits set (the block is " + network.to_string() + "/" + bits_text + ")");
    }
    u128 first = net, last = net + size - 1;
    // Host addresses only: the network and broadcast addresses of an IPv4 subnet cannot be a
    // TCP source; IPv6 reserves its first address (subnet-router anycast). /31, /32, /127 and
    // /128 have no such reserved addresses (RFC 3021, RFC 6164).
    if (base.is_v4() && host_bits >= 2) ++first, --last;
    if (base.is_v6() && host_bits >= 2) ++first;
    too_many(flag, part, last - first + 1);
    add_range(out, first, last, base.is_v4(), scope_of(base));
    return;
  }
  {
    // A whole address first: an IPv6 zone may hold a dash ("fe80::1%br-lan").
    boost::system::error_code ec;
    ip::make_address(part, ec);
    if (!ec) return out.push_back(parse_address(flag, part, part));
  }
  if (auto dash = part.find('-'); dash != std::string::npos) {
    auto a = parse_address(flag, trim(std::string_view(part).substr(0, dash)), part);
    auto b = parse_address(flag, trim(std::string_view(part).substr(dash + 1)), part);
    if (a.is_v4() != b.is_v4()) bad(flag, "'" + part + "' mixes an IPv4 and an IPv6 address");
    u128 first = to_number(a), last = to_number(b);
    if (first > last) bad(flag, "'" + part + "' ends before it starts");
    too_many(flag, part, last - first + 1);
    add_range(out, first, last, a.is_v4(), scope_of(a));
    return;
  }
  out.push_back(parse_address(flag, part, part));
}

}  // namespace

std::vector<ip::address> parse_source_ips(std::string_view text, std::string_view flag) {
  std::vector<ip::address> out;
  if (trim(text).empty()) bad(flag, "no address given (e.g. 127.0.0.2-127.0.0.20, 127.0.0.0/27 or ::1)");
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto end = comma == std::string_view::npos ? text.size() : comma;
    std::string part = trim(text.substr(start, end - start));
    if (part.empty()) bad(flag, "empty item in '" + std::string(text) + "'");
    parse_part(flag, part, out);
    if (out.size() > max_source_ips)
      bad(flag, "'" + std::string(text) + "' holds more than " + std::to_string(max_source_ips) + " addresses");
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  // One family: a connection can only come from an address of the target's family, and a
  // mixed list would leave some turns unusable against any target.
  bool v4 = out.front().is_v4();
  for (const auto& a : out)
    if (a.is_v4() != v4)
      bad(flag, "'" + std::string(text) + "' mixes IPv4 and IPv6 addresses (" + out.front().to_string() + ", " +
                    a.to_string() + "); use one family");
  std::set<ip::address> seen;
  for (const auto& a : out)
    if (!seen.insert(a).second) bad(flag, a.to_string() + " appears more than once in '" + std::string(text) + "'");
  return out;
}

void check_source_ips_bindable(const std::vector<ip::address>& addresses, std::string_view flag) {
  boost::asio::io_context io;
  for (const auto& a : addresses) {
    ip::tcp::socket s(io);
    boost::system::error_code ec;
    s.open(a.is_v4() ? ip::tcp::v4() : ip::tcp::v6(), ec);
    if (ec) bad(flag, "cannot open a socket for " + a.to_string() + ": " + ec.message());
    // No port is taken for this test bind (the check must not use up ephemeral ports).
    int one = 1;
    ::setsockopt(s.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    s.bind(ip::tcp::endpoint(a, 0), ec);
    if (ec)
      bad(flag, "cannot bind " + a.to_string() + " (" + ec.message() +
                    "): it is not an address of this machine (127.0.0.0/8 always is)");
  }
}

source_ip_pool::source_ip_pool(std::vector<ip::address> addresses) : addresses_(std::move(addresses)) {
  if (addresses_.empty()) throw usage_error("source_ip_pool: no address");
}

const ip::address& source_ip_pool::next() const {
  return addresses_[next_.fetch_add(1, std::memory_order_relaxed) % addresses_.size()];
}

std::shared_ptr<const source_ip_pool> load_source_ips(std::string_view text, std::string_view flag) {
  auto addresses = parse_source_ips(text, flag);
  check_source_ips_bindable(addresses, flag);
  return std::make_shared<const source_ip_pool>(std::move(addresses));
}

}  // namespace drover
