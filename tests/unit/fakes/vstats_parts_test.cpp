// The vStats fake's pure parts: tokens, the dashboard messages, delivery faults.
#include <regex>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/vstats/delivery_faults.hpp"
#include "fakes/vstats/messages.hpp"
#include "fakes/vstats/tokens.hpp"

namespace drover::fakes::vstats {
namespace {

namespace json = boost::json;

TEST(VstatsTokens, SelfDescribingTokensNameTheirServer) {
  token_store store;
  auto s = store.lookup("agent:web-1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, "web-1");
  EXPECT_EQ(s->name, "web-1");
  EXPECT_TRUE(s->location.empty());
  EXPECT_TRUE(store.lookup("agent:web-1")) << "tokens are not used up";
  EXPECT_FALSE(store.lookup("agent:"));
  EXPECT_FALSE(store.lookup(""));
  EXPECT_FALSE(store.lookup("web-1"));
}

TEST(VstatsTokens, FileTokensAreTheOnlyValidOnes) {
  auto store = token_store::from_json(R"({"t1": {"server_id": "s1", "name": "one", "location": "EU"},
                                          "t2": {"server_id": "s2"}})", "(test)");
  auto one = store->lookup("t1");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->name, "one");
  EXPECT_EQ(one->location, "EU");
  EXPECT_EQ(store->lookup("t2")->name, "s2") << "name defaults to the id";
  EXPECT_FALSE(store->lookup("agent:s1")) << "no self-describing tokens with a file";
  for (const char* bad : {"[]", "{\"t\": 1}", "{\"t\": {\"server_id\": \"\"}}", "{\"t\": {\"server_id\": \"x\", \"name\": 2}}", "nope"})
    EXPECT_THROW(token_store::from_json(bad, "(test)"), std::exception) << bad;
}

TEST(VstatsMessages, EnvelopeHasAnRfc3339UtcTimestamp) {
  auto m = envelope("status", status_data("s", true));
  EXPECT_EQ(m["type"], "status");
  EXPECT_EQ(m["data"].as_object()["online"], true);
  std::string ts(m["timestamp"].as_string());
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"))) << ts;
}

TEST(VstatsMessages, MetricsDataIsTheReportWithRxTx) {
  json::object report = json::parse(R"({"cpu":{"usage":1.5,"cores":2},"network":{"total_rx":10,"total_tx":20},"uptime":5})").as_object();
  auto data = metrics_data("s", report);
  EXPECT_EQ(data["server_id"], "s");
  auto& m = data["metrics"].as_object();
  EXPECT_EQ(m["network"].as_object()["rx"], 10);
  EXPECT_EQ(m["network"].as_object()["tx"], 20);
  EXPECT_EQ(m["network"].as_object()["total_rx"], 10);
  EXPECT_EQ(m["uptime"], 5);
  EXPECT_EQ(m["cpu"], report["cpu"]);
  auto bare = metrics_data("s", json::object{{"cpu", 1}});
  EXPECT_FALSE(bare["metrics"].as_object().contains("network")) << "nothing invented";
}

TEST(VstatsMessages, AddedAndRemoved) {
  auto added = added_data({"id", "name", ""});
  EXPECT_FALSE(added.contains("location"));
  EXPECT_EQ(added_data({"id", "name", "US"})["location"], "US");
  EXPECT_EQ(removed_data("id")["id"], "id");
}

TEST(VstatsDelivery, PlainDashboardGetsTheSharedText) {
  auto e = make_event(event::kind::metrics, envelope("metrics", metrics_data("s", {})));
  delivery_state state;
  auto out = deliver(*e, fault_flags{}, state);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], e->text);
}

TEST(VstatsDelivery, FaultsRewriteDropOrRepeat) {
  auto metrics = make_event(event::kind::metrics, envelope("metrics", metrics_data("s", {})));
  auto offline = make_event(event::kind::status, envelope("status", status_data("s", false)), false);
  auto online = make_event(event::kind::status, envelope("status", status_data("s", true)), true);
  delivery_state state;
  fault_flags f;
  f.metrics_wrong_server = true;
  f.envelope_missing_timestamp = true;
  auto out = deliver(*metrics, f, state);
  ASSERT_EQ(out.size(), 1u);
  auto m = json::parse(*out[0]).as_object();
  EXPECT_EQ(m["data"].as_object()["server_id"], "s~other");
  EXPECT_FALSE(m.contains("timestamp"));
  fault_flags status;
  status.status_never_offline = true;
  EXPECT_TRUE(deliver(*offline, status, state).empty());
  EXPECT_EQ(deliver(*online, status, state).size(), 1u);
  fault_flags dup;
  dup.metrics_duplicate = true;
  delivery_state fresh;
  EXPECT_EQ(deliver(*metrics, dup, fresh).size(), 1u);
  EXPECT_EQ(deliver(*metrics, dup, fresh).size(), 2u);
  EXPECT_EQ(deliver(*metrics, dup, fresh).size(), 1u);
}

}  // namespace
}  // namespace drover::fakes::vstats
