#include <algorithm>

#include <gtest/gtest.h>

#include "fakes/common/faults.hpp"
#include "fakes/echo/echo_server.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes {
namespace {

TEST(FakeFaults, QueryValuesDecodesAndJoinsRepeatedParameters) {
  EXPECT_EQ(query_values("/ws?fault=a,b&x=1&fault=wrong-close%3A4001", "fault"), "a,b,wrong-close:4001");
  EXPECT_EQ(query_values("/ws", "fault"), "");
  EXPECT_EQ(query_values("/ws?faults=a&fault=", "fault"), "");
  EXPECT_EQ(query_values("/?fault=a%2", "fault"), "a%2");  // a broken escape stays as it is
}

TEST(FakeFaults, ParseFaultListValidatesEveryName) {
  auto set = parse_fault_list(echo_faults(), "echo", "ping,bad-json,,ping");
  EXPECT_TRUE(set.has("ping"));
  EXPECT_TRUE(set.has("bad-json"));
  EXPECT_EQ(set.names().size(), 2u);
  EXPECT_THROW(parse_fault_list(echo_faults(), "echo", "ping,nope"), usage_error);
}

TEST(FakeFaults, TableFormatsOneLinePerFault) {
  std::string text = format_fault_table(echo_faults());
  EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')), echo_faults().size());
  EXPECT_NE(text.find("reject-401"), std::string::npos);
}

}  // namespace
}  // namespace drover::fakes
