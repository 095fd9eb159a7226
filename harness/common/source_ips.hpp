#pragma once
// Local source addresses for outgoing connections (--source-ips). One address pair (source IP,
// target IP:port) offers at most ~28,000 ephemeral ports (net.ipv4.ip_local_port_range), so a
// load test that needs more sessions against one target binds each connection to one of several
// local addresses, taken in turn (127.0.0.0/8 is all local on Linux: no setup for loopback).
//
// Accepted text: an address ("127.0.0.2", "::1"), a range of one family ("127.0.0.2-127.0.0.20"),
// a CIDR block ("127.0.0.0/27": its host addresses, i.e. without the network and broadcast
// addresses for IPv4 prefixes up to /30, and without the subnet-router anycast address for IPv6
// prefixes up to /126), or a comma-separated list of these. At most max_source_ips addresses in
// all, one family, no address twice.
#include <atomic>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace drover {

inline constexpr std::size_t max_source_ips = 65'536;

// Throws usage_error naming `flag` and the part of `text` that is wrong.
std::vector<boost::asio::ip::address> parse_source_ips(std::string_view text, std::string_view flag = "--source-ips");

// Throws usage_error naming the first address this host cannot bind (not one of its own), so
// that a typo fails at start instead of as a connect error on every n-th connection.
void check_source_ips_bindable(const std::vector<boost::asio::ip::address>& addresses,
                               std::string_view flag = "--source-ips");

// The addresses and a shared cursor: copies of one run's connect options share one pool, so the
// connections of every worker take the addresses in turn. Thread-safe.
class source_ip_pool {
 public:
  explicit source_ip_pool(std::vector<boost::asio::ip::address> addresses);  // throws usage_error if empty
  const std::vector<boost::asio::ip::address>& addresses() const { return addresses_; }
  // The next address in turn (round-robin), from any thread.
  const boost::asio::ip::address& next() const;

 private:
  std::vector<boost::asio::ip::address> addresses_;
  mutable std::atomic<std::size_t> next_{0};
};

// parse_source_ips + check_source_ips_bindable, in a pool ready for transport::connect_options.
std::shared_ptr<const source_ip_pool> load_source_ips(std::string_view text, std::string_view flag = "--source-ips");

}  // namespace drover
