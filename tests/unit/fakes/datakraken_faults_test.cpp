// Each DataKraken fault breaks its one rule (fakes/README.md "## datakraken"), chosen per run,
// per ticket (GET /api/session?fault=), per socket (/ws?...&fault=) or per record request.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "datakraken_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

json::object final_record(std::uint16_t port, const std::string& id) { return wait_final(port, id).json(); }

// 2 s: long enough for a loaded machine (ASan) to open a fresh ticket in time, short enough
// to wait out.
constexpr auto ttl = 2000ms;
constexpr auto past_ttl = 2400ms;

datakraken_config short_ttl(std::vector<std::string> faults = {}) {
  datakraken_config config = dk_config(std::move(faults));
  config.ticket_ttl = ttl;
  return config;
}

TEST(DatakrakenFaults, TableListsEveryFaultOnceWithARuleAndTheReadmeARow) {
  std::ifstream in(std::string(DROVER_SOURCE_ROOT) + "/fakes/README.md");
  std::stringstream text;
  text << in.rdbuf();
  std::string readme = text.str();
  std::size_t from = readme.find("## datakraken (protocol 003)");
  ASSERT_NE(from, std::string::npos);
  std::string section = readme.substr(from, readme.find("\n## ", from + 1) - from);
  std::set<std::string> names;
  for (const auto& f : datakraken_faults()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
    EXPECT_NE(f.rule.find("docs/protocols/datakraken.md §"), std::string::npos) << f.name;
    EXPECT_NE(section.find("| `" + f.name + "` |"), std::string::npos) << f.name << " has no row in fakes/README.md";
  }
  for (const char* required : {"ticket-reusable", "ticket-never-expires", "accept-before-start", "ignore-listeners",
                               "lose-events", "bad-ticket-accepted", "needs-end-message"})
    EXPECT_TRUE(names.count(required)) << required;
  std::size_t rows = 0;
  std::size_t table = section.find("cases that must fail");
  ASSERT_NE(table, std::string::npos);
  for (std::size_t at = section.find("\n| `", table); at != std::string::npos; at = section.find("\n| `", at + 1)) ++rows;
  EXPECT_EQ(rows, datakraken_faults().size()) << "a README row for a fault the fake does not have";
}

TEST(DatakrakenFaults, NoCookieAndCookieNotKeptActOnThatTicketAnswerOnly) {
  auto server = start_datakraken(dk_config());
  EXPECT_EQ(issue(server->port(), "?fault=no-cookie").http.count("Set-Cookie"), 0);
  ticket_answer normal = issue(server->port());
  ASSERT_FALSE(normal.visitor.empty());
  ticket_answer replaced = issue(server->port(), "?fault=cookie-not-kept", "dk_visitor=" + normal.visitor);
  EXPECT_FALSE(replaced.visitor.empty());
  EXPECT_NE(replaced.visitor, normal.visitor);
  EXPECT_EQ(issue(server->port(), "", "dk_visitor=" + normal.visitor).http.count("Set-Cookie"), 0);
}

TEST(DatakrakenFaults, TtlWrongStatesTwiceTheRealLifetime) {
  auto server = start_datakraken(short_ttl());
  EXPECT_EQ(issue(server->port()).ttl, 2);
  ticket_answer wrong = issue(server->port(), "?fault=ttl-wrong");
  EXPECT_EQ(wrong.ttl, 4);
  std::this_thread::sleep_for(past_ttl);
  EXPECT_EQ(test_client(server->port(), ws_target(wrong.ticket)).http_status(), 401u) << "it expires after the real ttl";
}

TEST(DatakrakenFaults, SameTicketPerVisitorRepeatsAnUnusedTicket) {
  auto server = start_datakraken(dk_config());
  std::string cookie = "dk_visitor=visitor-one";
  ticket_answer first = issue(server->port(), "", cookie);
  ticket_answer repeat = issue(server->port(), "?fault=same-ticket-per-visitor", cookie);
  EXPECT_EQ(repeat.ticket, first.ticket);
  EXPECT_EQ(repeat.session, first.session);
  EXPECT_NE(issue(server->port(), "", cookie).ticket, first.ticket) << "without the fault: a new one";
  ticket_answer latest = issue(server->port(), "?fault=same-ticket-per-visitor", cookie);
  test_client used(server->port(), ws_target(latest.ticket));
  ASSERT_TRUE(used.handshake_ok());
  EXPECT_NE(issue(server->port(), "?fault=same-ticket-per-visitor", cookie).ticket, latest.ticket)
      << "a used ticket is not repeated";
  EXPECT_NE(issue(server->port(), "?fault=same-ticket-per-visitor", "dk_visitor=visitor-two").ticket, latest.ticket);
}

TEST(DatakrakenFaults, TicketReusableOpensAgainWithinTheTtlUnrecorded) {
  auto server = start_datakraken(short_ttl());
  auto first = open_session(server->port(), "?fault=ticket-reusable");
  first.socket->send(click_frame());
  test_client second(server->port(), ws_target(first.answer.ticket));
  ASSERT_TRUE(second.handshake_ok()) << second.http_status();
  second.send(start_frame());
  second.send(click_frame());
  second.send(click_frame());
  EXPECT_TRUE(second.close());
  first.socket->send(end_frame());
  EXPECT_TRUE(first.socket->close());
  EXPECT_EQ(counts(final_record(server->port(), first.answer.session)), std::make_pair(std::int64_t{1}, std::int64_t{0}));

  auto plain = open_session(server->port());
  EXPECT_EQ(test_client(server->port(), ws_target(plain.answer.ticket)).http_status(), 401u);
  EXPECT_EQ(test_client(server->port(), ws_target(plain.answer.ticket, "&fault=ticket-reusable")).http_status(), 101u)
      << "per socket too";
  std::this_thread::sleep_for(past_ttl);
  EXPECT_EQ(test_client(server->port(), ws_target(first.answer.ticket)).http_status(), 401u) << "not after the ttl";
}

TEST(DatakrakenFaults, TicketNeverExpiresPerTicketOrSocket) {
  auto server = start_datakraken(short_ttl());
  ticket_answer marked = issue(server->port(), "?fault=ticket-never-expires");
  ticket_answer plain = issue(server->port());
  ticket_answer other = issue(server->port());
  std::this_thread::sleep_for(past_ttl);
  EXPECT_EQ(record(server->port(), marked.session).json()["state"], "issued");
  test_client late(server->port(), ws_target(marked.ticket));
  ASSERT_TRUE(late.handshake_ok()) << late.http_status();
  late.send(start_frame());
  late.send(move_frame());
  EXPECT_TRUE(late.close());
  EXPECT_EQ(counts(final_record(server->port(), marked.session)), std::make_pair(std::int64_t{0}, std::int64_t{1}));
  EXPECT_EQ(test_client(server->port(), ws_target(plain.ticket)).http_status(), 401u);
  EXPECT_EQ(test_client(server->port(), ws_target(other.ticket, "&fault=ticket-never-expires")).http_status(), 101u);
}

TEST(DatakrakenFaults, BadAndMissingTicketAcceptedEachOpenOnlyTheirKind) {
  auto server = start_datakraken(dk_config());
  test_client unknown(server->port(), "/ws?ticket=never-issued&fault=bad-ticket-accepted");
  ASSERT_TRUE(unknown.handshake_ok()) << unknown.http_status();
  unknown.send(start_frame());
  unknown.send(click_frame());
  EXPECT_EQ(unknown.next(300ms).what, ws_event::kind::timeout) << "served like any session";
  EXPECT_EQ(test_client(server->port(), "/ws?fault=bad-ticket-accepted").http_status(), 401u) << "missing is another rule";
  test_client missing(server->port(), "/ws?fault=missing-ticket-accepted");
  ASSERT_TRUE(missing.handshake_ok()) << missing.http_status();
  missing.send(start_frame());
  missing.send(move_frame());
  EXPECT_EQ(missing.next(300ms).what, ws_event::kind::timeout);
  EXPECT_EQ(test_client(server->port(), "/ws?ticket=&fault=missing-ticket-accepted").http_status(), 101u) << "empty is missing";
  EXPECT_EQ(test_client(server->port(), "/ws?ticket=x&fault=missing-ticket-accepted").http_status(), 401u);
  auto run_wide = start_datakraken(dk_config({"bad-ticket-accepted"}));
  EXPECT_EQ(test_client(run_wide->port(), "/ws?ticket=whatever").http_status(), 101u);
}

TEST(DatakrakenFaults, RefuseWith4001AcceptsThenClosesEveryRefusal) {
  auto server = start_datakraken(short_ttl());
  auto expect_4001 = [&](const std::string& target, const std::string& reason) {
    test_client s(server->port(), target);
    ASSERT_TRUE(s.handshake_ok()) << target << ": " << s.http_status();
    ws_event e = s.next(3000ms);
    EXPECT_EQ(e.what, ws_event::kind::closed) << target;
    EXPECT_EQ(e.close_code, 4001) << target;
    EXPECT_NE(e.close_reason.find(reason), std::string::npos) << target << ": " << e.close_reason;
  };
  expect_4001("/ws?fault=refuse-with-4001", "missing ticket");
  expect_4001("/ws?ticket=nope&fault=refuse-with-4001", "unknown ticket");
  auto used = open_session(server->port(), "?fault=refuse-with-4001");
  expect_4001(ws_target(used.answer.ticket), "ticket already used");  // marked on the ticket
  used.socket->send(click_frame());
  EXPECT_EQ(used.socket->next(300ms).what, ws_event::kind::timeout) << "a good ticket is served as usual";
  ticket_answer late = issue(server->port());
  std::this_thread::sleep_for(past_ttl);
  expect_4001(ws_target(late.ticket, "&fault=refuse-with-4001"), "ticket expired");
  EXPECT_EQ(test_client(server->port(), "/ws?ticket=nope").http_status(), 401u) << "without the fault: 401";
}

TEST(DatakrakenFaults, CloseAtTtlEndsTheSessionWhenTheTicketExpires) {
  auto server = start_datakraken(short_ttl());
  auto issued = std::chrono::steady_clock::now();
  auto s = open_session(server->port(), "?fault=close-at-ttl");
  s.socket->send(click_frame());
  ws_event e = s.socket->next(5000ms);
  auto at = std::chrono::steady_clock::now() - issued;
  EXPECT_EQ(e.what, ws_event::kind::closed);
  EXPECT_EQ(e.close_code, 4001);
  EXPECT_GE(at, ttl - 100ms);
  json::object rec = final_record(server->port(), s.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{0}));
}

TEST(DatakrakenFaults, ListenersSwappedShowsOnlyWithOneListener) {
  auto server = start_datakraken(dk_config());
  auto click_only = open_session(server->port(), "?listeners=click&fault=listeners-swapped");
  click_only.socket->send(move_frame());
  EXPECT_EQ(click_only.socket->next(300ms).what, ws_event::kind::timeout) << "a move passes as a click";
  click_only.socket->send(click_frame());
  EXPECT_EQ(click_only.socket->wait_close(), 4004);
  EXPECT_EQ(counts(final_record(server->port(), click_only.answer.session)),
            std::make_pair(std::int64_t{0}, std::int64_t{1}));
  auto both = open_session(server->port(), "?fault=listeners-swapped");
  both.socket->send(click_frame());
  both.socket->send(move_frame());
  EXPECT_TRUE(both.socket->close());
  EXPECT_EQ(counts(final_record(server->port(), both.answer.session)), std::make_pair(std::int64_t{1}, std::int64_t{1}));
}

TEST(DatakrakenFaults, IgnoreListeners) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port(), "?listeners=click", "&fault=ignore-listeners");
  s.socket->send(move_frame());
  s.socket->send(R"({"type":5,"timestamp":1,"event":{}})");
  s.socket->send(click_frame());
  EXPECT_EQ(s.socket->next(300ms).what, ws_event::kind::timeout);
  EXPECT_TRUE(s.socket->close());
  EXPECT_EQ(counts(final_record(server->port(), s.answer.session)), std::make_pair(std::int64_t{1}, std::int64_t{1}));
}

TEST(DatakrakenFaults, WantsElapsedRefusesTheDocumentedKey) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port(), "?fault=wants-elapsed");
  s.socket->send(click_frame());
  s.socket->send(R"({"type":1,"timestamp":1,"event":{"X":1,"Y":2,"elapsed":5}})");
  EXPECT_EQ(s.socket->next(300ms).what, ws_event::kind::timeout);
  s.socket->send(move_frame());
  EXPECT_EQ(s.socket->wait_close(), 1007);
  EXPECT_EQ(counts(final_record(server->port(), s.answer.session)), std::make_pair(std::int64_t{1}, std::int64_t{1}));
}

TEST(DatakrakenFaults, AcceptBeforeStartCountsEarlyEventsOnlyForThatSession) {
  auto server = start_datakraken(dk_config());
  ticket_answer t = issue(server->port(), "?fault=accept-before-start");
  test_client early(server->port(), ws_target(t.ticket));
  early.send(click_frame());
  early.send(move_frame());
  early.send(end_frame());
  EXPECT_EQ(early.next(300ms).what, ws_event::kind::timeout);
  EXPECT_TRUE(early.close());
  json::object rec = final_record(server->port(), t.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(rec["ended_cleanly"], true);
  ticket_answer plain = issue(server->port());
  test_client strict(server->port(), ws_target(plain.ticket));
  strict.send(click_frame());
  EXPECT_EQ(strict.wait_close(), 4003);
}

TEST(DatakrakenFaults, NoBadJsonCloseIgnoresNonJsonOnly) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port(), "", "&fault=no-bad-json-close");
  s.socket->send("{nope");
  s.socket->send("[1,2]");
  s.socket->send(click_frame());
  EXPECT_EQ(s.socket->next(300ms).what, ws_event::kind::timeout);
  s.socket->send(R"({"type":"hello"})");
  EXPECT_EQ(s.socket->wait_close(), 1007) << "a JSON object that is no message is another rule";
  EXPECT_EQ(counts(final_record(server->port(), s.answer.session)), std::make_pair(std::int64_t{1}, std::int64_t{0}));
}

TEST(DatakrakenFaults, ServerSendsDataAcksStartAndEvents) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port(), "?fault=server-sends-data");
  json::object ack = [&] {
    ws_event e = s.socket->next(3000ms);
    EXPECT_EQ(e.what, ws_event::kind::message);
    return json::parse(e.data).as_object();
  }();
  EXPECT_EQ(ack["type"], "ack");
  s.socket->send(click_frame());
  s.socket->send(move_frame());
  EXPECT_EQ(s.socket->next(3000ms).what, ws_event::kind::message);
  EXPECT_EQ(s.socket->next(3000ms).what, ws_event::kind::message);
  auto quiet = open_session(server->port());
  quiet.socket->send(click_frame());
  EXPECT_EQ(quiet.socket->next(300ms).what, ws_event::kind::timeout);
}

TEST(DatakrakenFaults, LoseEventsDropsEveryHundredth) {
  auto server = start_datakraken(dk_config());
  auto lossy = open_session(server->port(), "?fault=lose-events");
  auto whole = open_session(server->port());
  for (int i = 0; i < 250; ++i) {
    lossy.socket->send(i % 2 ? click_frame() : move_frame());  // the 100th and 200th are clicks
    whole.socket->send(i % 2 ? click_frame() : move_frame());
  }
  EXPECT_TRUE(lossy.socket->close());
  EXPECT_TRUE(whole.socket->close());
  EXPECT_EQ(counts(final_record(server->port(), lossy.answer.session)), std::make_pair(std::int64_t{123}, std::int64_t{125}));
  EXPECT_EQ(counts(final_record(server->port(), whole.answer.session)), std::make_pair(std::int64_t{125}, std::int64_t{125}));
}

TEST(DatakrakenFaults, NeedsEndMessageForgetsSessionsWithoutEnd) {
  auto server = start_datakraken(dk_config({"needs-end-message"}));
  auto without = open_session(server->port());
  without.socket->send(click_frame());
  EXPECT_EQ(record(server->port(), without.answer.session).status, 200) << "visible while open";
  EXPECT_TRUE(without.socket->close(1001));
  EXPECT_EQ(wait_status(server->port(), without.answer.session, 404).status, 404);
  auto with = open_session(server->port());
  with.socket->send(click_frame());
  with.socket->send(end_frame());
  EXPECT_TRUE(with.socket->close());
  EXPECT_EQ(counts(final_record(server->port(), with.answer.session)), std::make_pair(std::int64_t{1}, std::int64_t{0}));
}

TEST(DatakrakenFaults, DurationNeedsEndAndAlwaysEndedCleanly) {
  auto server = start_datakraken(dk_config());
  auto no_duration = open_session(server->port(), "?fault=duration-needs-end");
  auto with_end = open_session(server->port(), "?fault=duration-needs-end");
  auto always_clean = open_session(server->port(), "", "&fault=always-ended-cleanly");
  std::this_thread::sleep_for(250ms);
  with_end.socket->send(end_frame());
  EXPECT_TRUE(no_duration.socket->close(1001));
  EXPECT_TRUE(with_end.socket->close());
  always_clean.socket->drop();
  json::object a = final_record(server->port(), no_duration.answer.session);
  EXPECT_EQ(a["duration_ms"], 0);
  EXPECT_EQ(a["ended_cleanly"], false);
  json::object b = final_record(server->port(), with_end.answer.session);
  EXPECT_GE(b["duration_ms"].as_int64(), 250);
  json::object c = final_record(server->port(), always_clean.answer.session);
  EXPECT_EQ(c["ended_cleanly"], true);
  EXPECT_GE(c["duration_ms"].as_int64(), 250);
}

TEST(DatakrakenFaults, UnknownSessionFoundPerRequestOrRun) {
  auto server = start_datakraken(dk_config());
  http_result r = record(server->port(), "feedfeedfeedfeed", "?fault=unknown-session-found");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(counts(r.json()), std::make_pair(std::int64_t{0}, std::int64_t{0}));
  EXPECT_EQ(record(server->port(), "feedfeedfeedfeed").status, 404);
  auto run_wide = start_datakraken(dk_config({"unknown-session-found"}));
  EXPECT_EQ(record(run_wide->port(), "anything").status, 200);
  ticket_answer t = issue(run_wide->port());
  EXPECT_EQ(record(run_wide->port(), t.session).json()["state"], "issued") << "known ids still answer their record";
}

TEST(DatakrakenFaults, RunWideFaultReachesEverySession) {
  auto server = start_datakraken(dk_config({"accept-before-start", "no-cookie"}));
  ticket_answer t = issue(server->port());
  EXPECT_EQ(t.http.count("Set-Cookie"), 0);
  test_client s(server->port(), ws_target(t.ticket));
  s.send(click_frame());
  EXPECT_EQ(s.next(300ms).what, ws_event::kind::timeout);
}

}  // namespace
}  // namespace drover::fakes
