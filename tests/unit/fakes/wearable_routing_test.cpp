#include <gtest/gtest.h>

#include "wearable_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

TEST(WearableFake, SubmitBecomesDispatchWithUidSeqTypeAndTs) {
  auto server = start_wearable(test_config());
  auto consumer = identified(server->port(), "dev:acme:1", 1);
  auto producer = identified(server->port(), "user:acme:alice:1", 0);
  producer->send(submit_frame(95));
  producer->send(R"({"op":6,"d":{"d":[1,2,3],"ts":"2022-05-04T10:26:11.268507+01:00"},"t":"NEW_KIND"})");
  auto got = dispatches(*consumer, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]["uid"], "alice");
  EXPECT_EQ(got[0]["t"], "HEART_RATE");
  EXPECT_EQ(got[0]["d"].as_object()["val"], 95);
  std::string ts(got[0]["d"].as_object()["ts"].as_string());
  EXPECT_EQ(ts.size(), std::string("2024-05-04T10:26:11.268507+00:00").size()) << ts;
  EXPECT_EQ(ts.substr(ts.size() - 6), "+00:00");
  EXPECT_EQ(got[1]["t"], "NEW_KIND");  // unknown types pass through
  EXPECT_EQ(got[1]["d"].as_object()["ts"], "2022-05-04T10:26:11.268507+01:00");
  EXPECT_LT(seq_of(got[0]), seq_of(got[1]));
}

TEST(WearableFake, RoutesToEveryConsumerOfTheSameDeveloperOnly) {
  auto config = test_config();
  config.consumer_limit = 2;
  auto server = start_wearable(config);
  auto acme1 = identified(server->port(), "dev:acme:1", 1);
  auto acme2 = identified(server->port(), "dev:acme:2", 1);
  auto globex = identified(server->port(), "dev:globex:1", 1);
  auto alice = identified(server->port(), "user:acme:alice:1", 0);
  auto gina = identified(server->port(), "user:globex:gina:1", 0);
  alice->send(submit_frame(1));
  gina->send(submit_frame(2));
  for (auto* c : {acme1.get(), acme2.get()}) {
    auto m = c->next_json();
    EXPECT_EQ(m["uid"], "alice");
    EXPECT_EQ(c->next(300ms).what, ws_event::kind::timeout);  // nothing of globex
  }
  EXPECT_EQ(globex->next_json()["uid"], "gina");
  EXPECT_EQ(globex->next(300ms).what, ws_event::kind::timeout);
  EXPECT_EQ(alice->next(100ms).what, ws_event::kind::timeout);  // producers get no DISPATCH
}

TEST(WearableFake, SeqStrictlyIncreasesAcrossProducersOnDifferentThreads) {
  auto server = start_wearable(test_config());
  auto consumer = identified(server->port(), "dev:acme:1", 1);
  std::vector<std::unique_ptr<test_client>> producers;
  for (int i = 0; i < 4; ++i) producers.push_back(identified(server->port(), "user:acme:u" + std::to_string(i) + ":1", 0));
  const int rounds = 50;
  for (int r = 0; r < rounds; ++r) {
    for (auto& p : producers) p->send(submit_frame(r));
  }
  auto got = dispatches(*consumer, rounds * 4);
  ASSERT_EQ(got.size(), static_cast<std::size_t>(rounds * 4));
  bool gap_seen = false;
  for (std::size_t i = 1; i < got.size(); ++i) {
    EXPECT_GT(seq_of(got[i]), seq_of(got[i - 1]));
    if (seq_of(got[i]) > seq_of(got[i - 1]) + 1) gap_seen = true;
  }
  EXPECT_TRUE(gap_seen) << "seq should be sparse (steps of 1 or 2)";
}

struct replay_fixture {
  std::unique_ptr<fake_server> server;
  std::unique_ptr<test_client> consumer;
  std::vector<json::object> live;

  explicit replay_fixture(const std::string& consumer_fault = "", std::vector<std::string> run_faults = {}) {
    auto config = test_config();
    config.faults = std::move(run_faults);
    server = start_wearable(config);
    consumer = identified(server->port(), "dev:acme:1", 1,
                          consumer_fault.empty() ? "/" : "/?fault=" + consumer_fault);
    auto producer = identified(server->port(), "user:acme:alice:1", 0);
    for (int i = 0; i < 6; ++i) producer->send(submit_frame(100 + i));
    live = dispatches(*consumer, 6);
  }

  std::vector<json::object> replay(const std::string& d, std::size_t expected) {
    consumer->send(R"({"op":7,"d":)" + d + "}");
    auto got = dispatches(*consumer, static_cast<int>(expected));
    EXPECT_EQ(consumer->next(300ms).what, ws_event::kind::timeout) << "more than expected after " << d;
    return got;
  }
};

TEST(WearableFake, ReplayBoundsAreExclusive) {
  replay_fixture f;
  ASSERT_EQ(f.live.size(), 6u);
  auto after = seq_of(f.live[0]), before = seq_of(f.live[4]);
  auto got = f.replay(R"({"after":)" + std::to_string(after) + R"(,"before":)" + std::to_string(before) + "}", 3);
  ASSERT_EQ(got.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(got[i], f.live[i + 1]);  // identical content, in order
}

TEST(WearableFake, ReplayWithoutBeforeReturnsEverythingAfter) {
  replay_fixture f;
  auto got = f.replay(R"({"after":)" + std::to_string(seq_of(f.live[2])) + "}", 3);
  ASSERT_EQ(got.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(got[i], f.live[i + 3]);
  auto all = f.replay(R"({"after":0})", 6);
  EXPECT_EQ(all, f.live);
}

TEST(WearableFake, ReplayOfEmptyRangeSendsNothing) {
  replay_fixture f;
  auto s = seq_of(f.live[5]);
  f.replay(R"({"after":)" + std::to_string(s) + "}", 0);
}

}  // namespace
}  // namespace drover::fakes
