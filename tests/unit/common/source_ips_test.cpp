// --source-ips: the accepted forms, the limits, and errors that name the flag and the bad part.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/common/source_ips.hpp"

namespace drover {
namespace {

std::vector<std::string> texts(const std::vector<boost::asio::ip::address>& v) {
  std::vector<std::string> out;
  for (const auto& a : v) out.push_back(a.to_string());
  return out;
}

// The message of the usage_error parse_source_ips throws ("" when it does not throw).
std::string error_of(const std::string& text) {
  try {
    parse_source_ips(text);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

TEST(SourceIps, SingleAddresses) {
  EXPECT_EQ(texts(parse_source_ips("127.0.0.2")), std::vector<std::string>{"127.0.0.2"});
  EXPECT_EQ(texts(parse_source_ips("::1")), std::vector<std::string>{"::1"});
  EXPECT_EQ(texts(parse_source_ips(" 127.0.0.2 , 127.0.0.9 ")), (std::vector<std::string>{"127.0.0.2", "127.0.0.9"}));
  // A zoned address is one address, also when the zone holds a dash (it is not a range).
  auto zoned = parse_source_ips("fe80::1%1");
  ASSERT_EQ(zoned.size(), 1u);
  EXPECT_EQ(zoned[0].to_v6().scope_id(), 1u);
  boost::system::error_code ec;
  boost::asio::ip::make_address("fe80::1%no-such-if", ec);  // accepted by Boost (scope 0) on Linux
  if (!ec) {
    EXPECT_EQ(parse_source_ips("fe80::1%no-such-if").size(), 1u);
  }
}

TEST(SourceIps, RangeIsInclusiveAndInOrder) {
  auto v = texts(parse_source_ips("127.0.0.2-127.0.0.20"));
  ASSERT_EQ(v.size(), 19u);
  EXPECT_EQ(v.front(), "127.0.0.2");
  EXPECT_EQ(v[1], "127.0.0.3");
  EXPECT_EQ(v.back(), "127.0.0.20");
  // Across an octet boundary.
  EXPECT_EQ(texts(parse_source_ips("10.0.0.254-10.0.1.1")),
            (std::vector<std::string>{"10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"}));
  EXPECT_EQ(texts(parse_source_ips("fd00::fffe-fd00::1:1")),
            (std::vector<std::string>{"fd00::fffe", "fd00::ffff", "fd00::1:0", "fd00::1:1"}));
  EXPECT_EQ(texts(parse_source_ips("127.0.0.7-127.0.0.7")), std::vector<std::string>{"127.0.0.7"});
}

TEST(SourceIps, CidrGivesHostAddresses) {
  auto v = texts(parse_source_ips("127.0.0.0/27"));
  ASSERT_EQ(v.size(), 30u);  // 32 minus the network and broadcast addresses
  EXPECT_EQ(v.front(), "127.0.0.1");
  EXPECT_EQ(v.back(), "127.0.0.30");
  EXPECT_EQ(texts(parse_source_ips("127.0.0.4/31")), (std::vector<std::string>{"127.0.0.4", "127.0.0.5"}));
  EXPECT_EQ(texts(parse_source_ips("127.0.0.9/32")), std::vector<std::string>{"127.0.0.9"});
  EXPECT_EQ(texts(parse_source_ips("::1/128")), std::vector<std::string>{"::1"});
  EXPECT_EQ(texts(parse_source_ips("fd00::/126")), (std::vector<std::string>{"fd00::1", "fd00::2", "fd00::3"}));
  EXPECT_EQ(parse_source_ips("127.1.0.0/16").size(), 65'534u);
  EXPECT_EQ(parse_source_ips("fd00::/112").size(), 65'535u);
}

TEST(SourceIps, ListsCombineForms) {
  auto v = texts(parse_source_ips("127.0.0.2-127.0.0.3,127.0.0.8/30,127.0.0.20"));
  EXPECT_EQ(v, (std::vector<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.9", "127.0.0.10", "127.0.0.20"}));
}

TEST(SourceIps, LimitIs65536Addresses) {
  EXPECT_EQ(parse_source_ips("10.0.0.0-10.0.255.255").size(), 65'536u);
  auto e = error_of("10.0.0.0-10.1.0.0");
  EXPECT_NE(e.find("'10.0.0.0-10.1.0.0' holds 65537 addresses, at most 65536"), std::string::npos) << e;
  e = error_of("127.0.0.0/8");
  EXPECT_NE(e.find("'127.0.0.0/8' holds 2^24 addresses"), std::string::npos) << e;
  e = error_of("fd00::/64");
  EXPECT_NE(e.find("2^64"), std::string::npos) << e;
  e = error_of("::/0");
  EXPECT_NE(e.find("not a unicast address"), std::string::npos) << e;
  // The total counts, not only each part.
  e = error_of("10.0.0.0-10.0.255.255,10.1.0.0");
  EXPECT_NE(e.find("more than 65536"), std::string::npos) << e;
}

TEST(SourceIps, ErrorsNameTheFlagAndThePart) {
  auto e = error_of("127.0.0.2-127.0.0.300");
  EXPECT_EQ(e.rfind("--source-ips: ", 0), 0u) << e;
  EXPECT_NE(e.find("'127.0.0.300' in '127.0.0.2-127.0.0.300' is not an IP address"), std::string::npos) << e;
  EXPECT_NE(error_of("127.0.0.9-127.0.0.2").find("'127.0.0.9-127.0.0.2' ends before it starts"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.1-::1").find("mixes an IPv4 and an IPv6 address"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.2,::1").find("mixes IPv4 and IPv6 addresses"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.5/30").find("has host bits set (the block is 127.0.0.4/30)"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.0/33").find("prefix length must be a number from 0 to 32"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.0/x").find("prefix length"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.2,,127.0.0.3").find("empty item"), std::string::npos);
  EXPECT_NE(error_of("").find("no address given"), std::string::npos);
  EXPECT_NE(error_of("localhost").find("'localhost' in 'localhost' is not an IP address"), std::string::npos);
  EXPECT_NE(error_of("0.0.0.0").find("not a unicast address"), std::string::npos);
  EXPECT_NE(error_of("224.0.0.1").find("not a unicast address"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.2,127.0.0.1-127.0.0.3").find("127.0.0.2 appears more than once"), std::string::npos);
  try {
    parse_source_ips("nope", "source_ips option");
    FAIL() << "no error";
  } catch (const usage_error& err) {
    EXPECT_EQ(std::string(err.what()).rfind("source_ips option: ", 0), 0u) << err.what();
  }
}

TEST(SourceIps, BindCheckAcceptsLoopbackAndNamesAForeignAddress) {
  EXPECT_NO_THROW(check_source_ips_bindable(parse_source_ips("127.0.0.2-127.0.0.4")));
  // TEST-NET-3 (RFC 5737) is never assigned to a host.
  try {
    check_source_ips_bindable(parse_source_ips("127.0.0.2,203.0.113.7"));
    FAIL() << "no error";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("--source-ips: cannot bind 203.0.113.7"), std::string::npos) << e.what();
  }
}

TEST(SourceIps, PoolHandsOutAddressesInTurn) {
  source_ip_pool pool(parse_source_ips("127.0.0.2-127.0.0.4"));
  std::vector<std::string> got;
  for (int i = 0; i < 7; ++i) got.push_back(pool.next().to_string());
  EXPECT_EQ(got, (std::vector<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.2", "127.0.0.3",
                                           "127.0.0.4", "127.0.0.2"}));
  EXPECT_THROW(source_ip_pool({}), usage_error);
}

}  // namespace
}  // namespace drover
