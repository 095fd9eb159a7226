#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/wearable/dispatch_faults.hpp"
#include "fakes/wearable/router.hpp"
#include "fakes/wearable/tokens.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes::wearable {
namespace {

TEST(WearableTokens, SelfDescribingTokensNeedExactlyTheirParts) {
  token_store tokens;
  auto ok = tokens.claim("user:acme:alice:n1", role::producer, false);
  ASSERT_EQ(ok.result, token_store::outcome::ok);
  EXPECT_EQ(ok.who.developer, "acme");
  EXPECT_EQ(ok.who.user, "alice");
  EXPECT_EQ(tokens.claim("dev:acme:n1", role::consumer, false).result, token_store::outcome::ok);
  EXPECT_EQ(tokens.claim("dev::n2", role::consumer, false).result, token_store::outcome::unknown);
  EXPECT_EQ(tokens.claim("dev:a:b:c", role::consumer, false).result, token_store::outcome::unknown);
  EXPECT_EQ(tokens.claim("user:a:b:c:d", role::producer, false).result, token_store::outcome::unknown);
  EXPECT_EQ(tokens.claim("dev:acme:n3", role::producer, false).result, token_store::outcome::wrong_role);
}

TEST(WearableTokens, EachTokenIsAcceptedOnceUnlessReuseIsAllowed) {
  token_store tokens;
  EXPECT_EQ(tokens.claim("dev:acme:x", role::consumer, false).result, token_store::outcome::ok);
  EXPECT_EQ(tokens.claim("dev:acme:x", role::consumer, false).result, token_store::outcome::used);
  EXPECT_EQ(tokens.claim("dev:acme:x", role::consumer, true).result, token_store::outcome::ok);
  // A refused role check does not use the token up.
  EXPECT_EQ(tokens.claim("dev:acme:y", role::producer, false).result, token_store::outcome::wrong_role);
  EXPECT_EQ(tokens.claim("dev:acme:y", role::consumer, false).result, token_store::outcome::ok);
}

TEST(WearableTokens, TokenTableRejectsBadEntries) {
  auto table = token_store::from_json(R"({"T":{"role":"consumer","developer":"d"}})", "t.json");
  EXPECT_EQ(table->claim("T", role::consumer, false).result, token_store::outcome::ok);
  EXPECT_EQ(table->claim("dev:d:1", role::consumer, false).result, token_store::outcome::unknown);
  EXPECT_THROW(token_store::from_json("[]", "t.json"), usage_error);
  EXPECT_THROW(token_store::from_json(R"({"T":{"role":"producer","developer":"d"}})", "t.json"), usage_error);
  EXPECT_THROW(token_store::from_json("{", "t.json"), usage_error);
}

std::vector<std::int64_t> seqs(const std::vector<record_ptr>& records) {
  std::vector<std::int64_t> out;
  for (const auto& r : records) out.push_back(r->seq);
  return out;
}

TEST(WearableRouter, RangeBoundsAreExclusiveAndBeforeIsOptional) {
  router routes(1, 100);
  auto channel = routes.channel("acme");
  for (int i = 0; i < 10; ++i) channel->submit("u", "STEPS", boost::json::object{{"val", i}});
  auto all = seqs(channel->range(0, std::nullopt, false));
  ASSERT_EQ(all.size(), 10u);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_GT(all[i], all[i - 1]);
    EXPECT_LE(all[i], all[i - 1] + 2);
  }
  EXPECT_EQ(seqs(channel->range(double(all[2]), double(all[6]), false)),
            std::vector<std::int64_t>(all.begin() + 3, all.begin() + 6));
  EXPECT_EQ(seqs(channel->range(double(all[2]), double(all[6]), true)),
            std::vector<std::int64_t>(all.begin() + 2, all.begin() + 7));
  EXPECT_EQ(seqs(channel->range(double(all[7]), std::nullopt, false)),
            std::vector<std::int64_t>(all.begin() + 8, all.end()));
  EXPECT_TRUE(channel->range(double(all[9]), std::nullopt, false).empty());
}

TEST(WearableRouter, HistoryLimitForgetsTheOldest) {
  router routes(1, 3);
  auto channel = routes.channel("acme");
  for (int i = 0; i < 5; ++i) channel->submit("u", "STEPS", boost::json::object{{"val", i}});
  auto kept = channel->range(0, std::nullopt, false);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_NE(kept[0]->text->find(R"("val":2)"), std::string::npos);
}

TEST(WearableRouter, DeliversToConsumersOfItsDeveloperInSeqOrder) {
  router routes(2, 100);
  int wakes = 0;
  auto mine = std::make_shared<mailbox>([&] { ++wakes; });
  auto theirs = std::make_shared<mailbox>([] {});
  ASSERT_TRUE(routes.channel("acme")->add_consumer(mine));
  ASSERT_TRUE(routes.channel("globex")->add_consumer(theirs));
  for (int i = 0; i < 3; ++i) routes.channel("acme")->submit("u", "STEPS", boost::json::object{{"val", i}});
  EXPECT_EQ(wakes, 1);  // one wake until the owner takes
  auto got = mine->take();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_LT(got[0]->seq, got[1]->seq);
  EXPECT_TRUE(theirs->take().empty());
}

TEST(WearableDispatchFaults, ReplayAlteredChangesOnlyTheFirstContent) {
  router routes(1, 100);
  auto channel = routes.channel("acme");
  for (int i = 0; i < 3; ++i) channel->submit("u", "HEART_RATE", boost::json::object{{"val", 60 + i}});
  fault_flags flags;
  flags.replay_altered = true;
  auto texts = replay_texts(channel->range(0, std::nullopt, false), flags);
  ASSERT_EQ(texts.size(), 3u);
  EXPECT_EQ(boost::json::parse(*texts[0]).at("d").at("val"), 61);
  EXPECT_EQ(boost::json::parse(*texts[1]).at("d").at("val"), 61);
}

TEST(WearableDispatchFaults, Iso8601HasMicrosecondsAndOffset) {
  std::string ts = iso8601_now();
  ASSERT_EQ(ts.size(), 32u) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.substr(26), "+00:00");
}

}  // namespace
}  // namespace drover::fakes::wearable
