// One protocol shared by several threads gives every thread the same answers.
#include <thread>

#include <gtest/gtest.h>

#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

TEST(Concurrency, SharedProtocolValidatesTheSameOnEveryThread) {
  const auto& p = test::mini();
  const std::vector<std::pair<direction, std::string>> messages = {
      {direction::server, R"({"op": 2, "d": {"interval": 10, "iso": "2024-01-01T00:00:00Z"}})"},
      {direction::server, R"({"op": 2, "d": {"interval": 0}})"},
      {direction::server, R"({"op": 5, "d": {"kind": "tack", "v": 1.5}})"},
      {direction::client, R"({"op": 0, "ts": "later"})"},
      {direction::client, R"(not json)"},
  };
  std::vector<std::size_t> expected;
  for (const auto& [d, text] : messages) expected.push_back(p.validate(d, text).violations.size());
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        for (std::size_t m = 0; m < messages.size(); ++m) {
          auto r = p.validate(messages[m].first, messages[m].second);
          if (r.violations.size() != expected[m]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace drover::protocols
