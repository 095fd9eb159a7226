// The DataKraken fake's parts without sockets: what a frame is, listener names, the registry
// (claims, expiry, the cap) and the HTTP answers.
#include <thread>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "fakes/datakraken/messages.hpp"
#include "fakes/datakraken/registry.hpp"
#include "fakes/datakraken/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes::datakraken {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

TEST(DatakrakenMessages, ClassifiesStartEndAndEvents) {
  EXPECT_EQ(classify(R"({"type":"start","meta":{}})").kind, message_kind::start);
  EXPECT_TRUE(classify(R"({"type":"start","meta":{}})").problem.empty());
  EXPECT_FALSE(classify(R"({"type":"start","meta":"x"})").problem.empty());
  EXPECT_EQ(classify(R"({"type":"end"})").kind, message_kind::end);
  message click = classify(R"({"type":0,"timestamp":5,"event":{"X":-1,"Y":2,"target":".a"}})");
  EXPECT_EQ(click.kind, message_kind::event);
  EXPECT_EQ(click.type, 0);
  EXPECT_TRUE(click.problem.empty()) << click.problem;
  message move = classify(R"({"type":1,"timestamp":5,"event":{"X":1,"Y":2,"ellapsed":0.25},"extra":true})");
  EXPECT_EQ(move.type, 1);
  EXPECT_TRUE(move.problem.empty()) << move.problem;
  message other = classify(R"({"type":9})");
  EXPECT_EQ(other.kind, message_kind::event);
  EXPECT_EQ(other.type, 9);
  EXPECT_TRUE(other.problem.empty()) << "unknown types are not shape-checked";
  EXPECT_EQ(classify(R"({"type":18446744073709551615})").type, std::numeric_limits<std::int64_t>::max());
}

TEST(DatakrakenMessages, NamesTheFirstWrongField) {
  EXPECT_EQ(classify("{oops").kind, message_kind::bad_json);
  EXPECT_EQ(classify("").kind, message_kind::bad_json);
  EXPECT_EQ(classify("42").kind, message_kind::bad_json);
  EXPECT_EQ(classify(R"({"type":null})").kind, message_kind::bad_message);
  EXPECT_EQ(classify(R"({"type":"START"})").kind, message_kind::bad_message);
  EXPECT_EQ(classify(R"({"type":0.0})").kind, message_kind::bad_message);
  auto problem = [](const char* text) { return classify(text).problem; };
  EXPECT_NE(problem(R"({"type":0,"event":{}})").find("timestamp"), std::string::npos);
  EXPECT_NE(problem(R"({"type":0,"timestamp":-1,"event":{}})").find("timestamp"), std::string::npos);
  EXPECT_NE(problem(R"({"type":0,"timestamp":1,"event":[]})").find("event"), std::string::npos);
  EXPECT_NE(problem(R"({"type":0,"timestamp":1,"event":{"Y":1,"target":"a"}})").find("event.X"), std::string::npos);
  EXPECT_NE(problem(R"({"type":0,"timestamp":1,"event":{"X":1,"Y":"1","target":"a"}})").find("event.Y"), std::string::npos);
  EXPECT_NE(problem(R"({"type":0,"timestamp":1,"event":{"X":1,"Y":1,"target":3}})").find("event.target"), std::string::npos);
  EXPECT_NE(problem(R"({"type":1,"timestamp":1,"event":{"X":1,"Y":1,"elapsed":3}})").find("event.ellapsed"),
            std::string::npos);
  EXPECT_TRUE(classify(R"({"type":1,"timestamp":1,"event":{"X":1,"Y":1,"elapsed":3}})", "elapsed").problem.empty());
}

TEST(DatakrakenMessages, ListenerNamesMapToTypes) {
  EXPECT_EQ(parse_listeners("click"), 1);
  EXPECT_EQ(parse_listeners("mousemove"), 2);
  EXPECT_EQ(parse_listeners("mousemove,click"), 3);
  EXPECT_EQ(listener_names(3), (std::vector<std::string>{"click", "mousemove"}));
  EXPECT_THROW(parse_listeners("click,,mousemove"), usage_error);
  EXPECT_THROW(parse_listeners("scroll"), usage_error);
  EXPECT_THROW(parse_listeners(""), usage_error);
  EXPECT_THROW(parse_listeners(std::vector<std::string>{}), usage_error);
}

json::object describe(const registry& r, const std::string& id) {
  auto text = r.describe(id, false);
  if (!text) return {};
  return json::parse(*text).as_object();
}

TEST(DatakrakenRegistry, ClaimChecksTicketsOnceAndRecordsTheSession) {
  registry r(1000ms, 100, 3);
  issued_ticket t = r.issue("v1", 1, {});
  EXPECT_EQ(describe(r, t.session)["state"], "issued");
  claim_result missing = r.claim("", {});
  EXPECT_FALSE(missing.accepted);
  EXPECT_NE(missing.refusal.find("missing"), std::string::npos);
  EXPECT_EQ(r.claim("nope", {}).refusal, "unknown ticket");
  claim_result ok = r.claim(t.ticket, {});
  ASSERT_TRUE(ok.accepted);
  EXPECT_EQ(ok.listeners, 1);
  EXPECT_EQ(describe(r, t.session)["state"], "open");
  EXPECT_EQ(r.claim(t.ticket, {}).refusal, "ticket already used");
  r.opened(ok.record);
  r.count_event(ok.record, 0);
  r.count_event(ok.record, 0);
  r.count_event(ok.record, 1);
  r.count_event(ok.record, 7);  // no such type: not counted anywhere
  r.closed(ok.record, 1234, true, false);
  json::object rec = describe(r, t.session);
  EXPECT_EQ(rec["state"], "closed");
  EXPECT_EQ(rec["final"], true);
  EXPECT_EQ(rec["events"], (json::object{{"0", 2}, {"1", 1}}));
  EXPECT_EQ(rec["duration_ms"], 1234);
  EXPECT_EQ(rec["ended_cleanly"], true);
  EXPECT_EQ(rec["visitor"], "v1");
  EXPECT_EQ(rec["listeners"], (json::array{"click"}));
}

TEST(DatakrakenRegistry, ExpiryAndTheFaultsThatBendIt) {
  registry r(1000ms, 100, 3);
  issued_ticket plain = r.issue("v", 3, {});
  fault_flags never;
  never.ticket_never_expires = true;
  issued_ticket marked = r.issue("v", 3, never);
  fault_flags reusable;
  reusable.ticket_reusable = true;
  issued_ticket reused = r.issue("v", 3, reusable);
  ASSERT_TRUE(r.claim(reused.ticket, {}).accepted);
  claim_result again = r.claim(reused.ticket, {});
  ASSERT_TRUE(again.accepted);
  EXPECT_NE(describe(r, reused.session)["state"], "closed");
  r.closed(again.record, 10, false, false);
  EXPECT_EQ(describe(r, reused.session)["state"], "open") << "the second socket records nowhere";
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(r.claim(plain.ticket, {}).refusal, "ticket expired");
  EXPECT_EQ(describe(r, plain.session)["state"], "expired");
  EXPECT_EQ(describe(r, plain.session)["final"], true);
  EXPECT_EQ(r.claim(reused.ticket, {}).refusal, "ticket expired") << "reusable, but not after the ttl";
  EXPECT_TRUE(r.claim(marked.ticket, {}).accepted);
  fault_flags accept_unknown;
  accept_unknown.bad_ticket_accepted = true;
  claim_result unknown = r.claim("nope", accept_unknown);
  EXPECT_TRUE(unknown.accepted);
  EXPECT_EQ(unknown.listeners, 3);
  EXPECT_FALSE(r.claim("", accept_unknown).accepted);
}

TEST(DatakrakenRegistry, CapForgetsTheOldestIdleRecordsNeverOpenOnes) {
  registry r(60'000ms, 5, 3);
  issued_ticket open_one = r.issue("v", 3, {});
  claim_result open_claim = r.claim(open_one.ticket, {});
  ASSERT_TRUE(open_claim.accepted);
  std::vector<issued_ticket> issued;
  for (int i = 0; i < 8; ++i) issued.push_back(r.issue("v", 3, {}));
  EXPECT_EQ(r.records(), 6u) << "5 idle plus the open one";
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(r.describe(issued[i].session, false)) << i;
    EXPECT_EQ(r.claim(issued[i].ticket, {}).refusal, "unknown ticket") << i;
  }
  for (int i = 3; i < 8; ++i) EXPECT_TRUE(r.describe(issued[i].session, false)) << i;
  EXPECT_TRUE(r.describe(open_one.session, false));
  r.closed(open_claim.record, 5, false, false);
  EXPECT_TRUE(r.describe(open_one.session, false)) << "a closed record is the newest";
  EXPECT_FALSE(r.describe(issued[3].session, false)) << "the oldest idle one made room";
  r.closed(r.claim(issued[4].ticket, {}).record, 1, false, true);
  EXPECT_FALSE(r.describe(issued[4].session, false)) << "lost: forgotten at once";
  EXPECT_TRUE(r.describe("nothing", true)) << "unknown-session-found";
}

TEST(DatakrakenRegistry, SameTicketPerVisitorOnlyWhileUnusedAndValid) {
  registry r(60'000ms, 100, 3);
  fault_flags same;
  same.same_ticket_per_visitor = true;
  issued_ticket a = r.issue("v", 3, {});
  EXPECT_EQ(r.issue("v", 3, same).ticket, a.ticket);
  EXPECT_NE(r.issue("w", 3, same).ticket, a.ticket);
  EXPECT_NE(r.issue("v", 3, {}).ticket, a.ticket);
}

TEST(DatakrakenRegistry, ConcurrentClaimsOfOneTicketAdmitOne) {
  registry r(60'000ms, 100, 3);
  issued_ticket t = r.issue("v", 3, {});
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (r.claim(t.ticket, {}).accepted) ++accepted;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), 1);
}

upgrade_request get(const std::string& target, const std::string& cookie = "") {
  upgrade_request req{boost::beast::http::verb::get, target, 11};
  if (!cookie.empty()) req.set(boost::beast::http::field::cookie, cookie);
  return req;
}

TEST(DatakrakenHttpApi, AnswersWithoutASocket) {
  datakraken_config config;
  config.ticket_ttl = 3000ms;
  shared_state shared(config, {}, 3);
  http_response ticket = answer_http(get("/api/session"), shared);
  EXPECT_EQ(ticket.result_int(), 200);
  json::object o = json::parse(ticket.body()).as_object();
  EXPECT_EQ(o["ttl"], 3);
  EXPECT_NE(ticket[boost::beast::http::field::set_cookie].find("dk_visitor="), std::string::npos);
  // Several Cookie headers: the visitor is found in any of them.
  upgrade_request two = get("/api/session", "a=1");
  two.insert(boost::beast::http::field::cookie, "dk_visitor=abc_DEF-9");
  EXPECT_TRUE(answer_http(two, shared)[boost::beast::http::field::set_cookie].empty());
  EXPECT_FALSE(answer_http(get("/api/session", std::string("dk_visitor=") + std::string(65, 'a')),
                           shared)[boost::beast::http::field::set_cookie].empty())
      << "too long: replaced";
  EXPECT_EQ(answer_http(get("/api/session/" + std::string(o["session"].as_string())), shared).result_int(), 200);
  EXPECT_EQ(answer_http(get("/api/session/%2e%2e"), shared).result_int(), 404);
  upgrade_request head{boost::beast::http::verb::head, "/api/session", 11};
  http_response h = answer_http(head, shared);
  EXPECT_EQ(h.result_int(), 405);
  EXPECT_TRUE(h.body().empty()) << "a HEAD answer has no body";
}

}  // namespace
}  // namespace drover::fakes::datakraken
