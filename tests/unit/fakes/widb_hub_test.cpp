// The WiDB fake's fan-out (fakes/widb/hub.*): per-apiKey delivery, spies, per-publisher order
// under concurrency, and an apiKey's entry going away with its last dashboard.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "fakes/widb/hub.hpp"

namespace drover::fakes::widb {
namespace {

std::shared_ptr<mailbox> box() { return std::make_shared<mailbox>([] {}); }
text_ptr text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

std::vector<std::string> drained(mailbox& m) {
  std::vector<std::string> out;
  for (auto& t : m.take()) out.push_back(*t);
  return out;
}

TEST(WidbHub, DeliversToTheKeysDashboardsAndSpiesOnly) {
  hub h;
  auto a = box(), b = box(), other = box(), spy = box();
  h.associate("k1", a);
  h.associate("k1", b);
  h.associate("k2", other);
  h.associate("k3", spy);
  h.add_spy("k3", spy);
  h.publish("k1", text("x"));
  h.publish("k3", text("own"));
  EXPECT_EQ(drained(*a), std::vector<std::string>{"x"});
  EXPECT_EQ(drained(*b), std::vector<std::string>{"x"});
  EXPECT_TRUE(drained(*other).empty());
  EXPECT_EQ(drained(*spy), (std::vector<std::string>{"x", "own"})) << "a spy gets other keys' data once, its own once";
  h.remove_spy(spy);
  h.publish("k1", text("y"));
  EXPECT_TRUE(drained(*spy).empty());
}

TEST(WidbHub, KeyEntryGoesWithItsLastDashboard) {
  hub h;
  auto a = box(), b = box();
  h.associate("k1", a);
  h.associate("k1", b);
  h.associate("k2", a);
  EXPECT_EQ(h.channel_count(), 2u);
  h.dissociate("k1", a);
  EXPECT_EQ(h.channel_count(), 2u);
  h.dissociate("k1", b);
  h.dissociate("k2", a);
  EXPECT_EQ(h.channel_count(), 0u);
  h.publish("k1", text("nobody"));  // no channel: nothing happens
  h.dissociate("k9", a);            // unknown key: nothing happens
  EXPECT_EQ(h.channel_count(), 0u);
}

TEST(WidbHub, EachPublishersOrderHoldsWhileDashboardsComeAndGo) {
  hub h;
  auto watcher = box();
  h.associate("k", watcher);
  constexpr int publishers = 4, per_publisher = 5000;
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    while (!stop) {
      auto d = box();
      h.associate("k", d);
      h.associate("other", d);
      h.dissociate("k", d);
      h.dissociate("other", d);
    }
  });
  std::vector<std::thread> threads;
  for (int p = 0; p < publishers; ++p)
    threads.emplace_back([&, p] {
      for (int i = 0; i < per_publisher; ++i) h.publish("k", text(std::to_string(p) + ":" + std::to_string(i)));
    });
  for (auto& t : threads) t.join();
  stop = true;
  churn.join();
  std::vector<int> next(publishers, 0);
  int total = 0;
  for (const auto& s : drained(*watcher)) {
    int p = std::stoi(s.substr(0, s.find(':')));
    int i = std::stoi(s.substr(s.find(':') + 1));
    EXPECT_EQ(i, next[p]) << "publisher " << p;
    next[p] = i + 1;
    ++total;
  }
  EXPECT_EQ(total, publishers * per_publisher);
  EXPECT_EQ(h.channel_count(), 1u) << "only the watcher's key is left";
}

}  // namespace
}  // namespace drover::fakes::widb
