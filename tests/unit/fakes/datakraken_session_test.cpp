// The DataKraken fake's socket and record rules: tickets (single use, ttl, 401), start first
// (4003), listeners (4004), bad JSON (1007), nothing sent, what the record says at the end.
#include <gtest/gtest.h>

#include "datakraken_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;

json::object final_record(std::uint16_t port, const std::string& id) { return wait_final(port, id).json(); }

TEST(DatakrakenSession, FullSessionIsRecordedWithCountsDurationAndCleanEnd) {
  auto server = start_datakraken(dk_config());
  ticket_answer t = issue(server->port());
  auto opened = std::chrono::steady_clock::now();
  test_client browser(server->port(), ws_target(t.ticket));
  ASSERT_TRUE(browser.handshake_ok()) << browser.http_status();
  browser.send(start_frame());
  for (int i = 0; i < 3; ++i) browser.send(click_frame(i, i));
  for (int i = 0; i < 2; ++i) browser.send(move_frame(i, i, 10 * i));
  std::this_thread::sleep_for(300ms);
  json::object live = record(server->port(), t.session).json();
  EXPECT_EQ(live["state"], "open");
  EXPECT_EQ(live["final"], false);
  browser.send(end_frame());
  EXPECT_TRUE(browser.close(1000));
  auto closed = std::chrono::steady_clock::now();
  json::object rec = final_record(server->port(), t.session);
  EXPECT_EQ(rec["state"], "closed");
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{3}, std::int64_t{2}));
  EXPECT_EQ(rec["ended_cleanly"], true);
  ASSERT_TRUE(rec["duration_ms"].is_int64());
  std::int64_t seen = std::chrono::duration_cast<std::chrono::milliseconds>(closed - opened).count();
  EXPECT_GE(rec["duration_ms"].get_int64(), 300);
  EXPECT_LE(rec["duration_ms"].get_int64(), seen + 500);  // the server ends a little later
  EXPECT_EQ(browser.messages_seen(), 0) << "the server sends nothing but pings";
}

TEST(DatakrakenSession, SessionWithoutEndIsRecordedAsNotEndedCleanly) {
  auto server = start_datakraken(dk_config());
  auto closing = open_session(server->port());
  closing.socket->send(click_frame());
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(closing.socket->close(1001));
  json::object rec = final_record(server->port(), closing.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{0}));
  EXPECT_EQ(rec["ended_cleanly"], false);
  EXPECT_GE(rec["duration_ms"].as_int64(), 200) << "measured without end";

  auto dropped = open_session(server->port());
  dropped.socket->send(move_frame());
  dropped.socket->send(move_frame());
  std::this_thread::sleep_for(200ms);
  dropped.socket->drop();
  rec = final_record(server->port(), dropped.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{0}, std::int64_t{2}));
  EXPECT_EQ(rec["ended_cleanly"], false);
  EXPECT_GE(rec["duration_ms"].as_int64(), 200);
}

TEST(DatakrakenSession, MissingEmptyUnknownUsedAndExpiredTicketsAre401) {
  datakraken_config config = dk_config();
  config.ticket_ttl = 2000ms;  // a loaded machine still opens a fresh ticket in time
  auto server = start_datakraken(config);
  auto refused = [&](const std::string& target, const std::string& reason) {
    http_client client(server->port());
    http_result r = client.get(target, upgrade_headers());
    EXPECT_EQ(r.status, 401) << target;
    EXPECT_NE(r.body.find(reason), std::string::npos) << target << ": " << r.body;
    EXPECT_TRUE(client.closed_by_server(3000ms)) << target;
    EXPECT_EQ(test_client(server->port(), target).http_status(), 401u) << target;
  };
  refused("/ws", "missing ticket");
  refused("/ws?ticket=", "missing ticket");
  refused("/ws?ticket=0123456789abcdef0123456789abcdef", "unknown ticket");

  auto first = open_session(server->port());
  refused(ws_target(first.answer.ticket), "ticket already used");  // while its socket is open
  EXPECT_TRUE(first.socket->close());
  refused(ws_target(first.answer.ticket), "ticket already used");  // and after

  ticket_answer late = issue(server->port());
  std::this_thread::sleep_for(2400ms);
  refused(ws_target(late.ticket), "ticket expired");
  json::object rec = record(server->port(), late.session).json();
  EXPECT_EQ(rec["state"], "expired");
  EXPECT_EQ(rec["final"], true);

  json::object used = final_record(server->port(), first.answer.session);
  EXPECT_EQ(used["state"], "closed") << "refused openings do not touch the session";
}

TEST(DatakrakenSession, TtlBoundsOnlyTheOpening) {
  datakraken_config config = dk_config();
  config.ticket_ttl = 2000ms;  // a loaded machine still opens a fresh ticket in time
  auto server = start_datakraken(config);
  auto s = open_session(server->port());
  s.socket->send(click_frame());
  std::this_thread::sleep_for(2500ms);
  s.socket->send(move_frame());
  EXPECT_EQ(s.socket->next(300ms).what, ws_event::kind::timeout) << "still open after the ttl";
  s.socket->send(end_frame());
  EXPECT_TRUE(s.socket->close());
  json::object rec = final_record(server->port(), s.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_GE(rec["duration_ms"].as_int64(), 2500);
}

TEST(DatakrakenSession, EventOrEndBeforeStartIs4003) {
  auto server = start_datakraken(dk_config());
  for (const std::string& first : {click_frame(), move_frame(), end_frame(), std::string(R"({"type":7})")}) {
    ticket_answer t = issue(server->port());
    test_client browser(server->port(), ws_target(t.ticket));
    ASSERT_TRUE(browser.handshake_ok());
    browser.send(first);
    EXPECT_EQ(browser.wait_close(), 4003) << first;
    json::object rec = final_record(server->port(), t.session);
    EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{0}, std::int64_t{0})) << first;
  }
}

TEST(DatakrakenSession, UnlistedEventTypesAre4004) {
  auto server = start_datakraken(dk_config());
  struct probe {
    std::string listeners, frame;
  };
  for (const probe& p : {probe{"", R"({"type":2,"timestamp":1,"event":{}})"},
                         probe{"", R"({"type":-1,"timestamp":1,"event":{}})"},
                         probe{"", R"({"type":18446744073709551615,"timestamp":1})"},
                         probe{"?listeners=click", move_frame()}, probe{"?listeners=mousemove", click_frame()}}) {
    auto s = open_session(server->port(), p.listeners);
    s.socket->send(p.listeners == "?listeners=mousemove" ? move_frame() : click_frame());  // listed: counts
    s.socket->send(p.frame);
    ws_event e = s.socket->next(3000ms);
    EXPECT_EQ(e.what, ws_event::kind::closed) << p.frame;
    EXPECT_EQ(e.close_code, 4004) << p.listeners << " " << p.frame;
    json::object rec = final_record(server->port(), s.answer.session);
    std::pair<std::int64_t, std::int64_t> expected{p.listeners == "?listeners=mousemove" ? 0 : 1,
                                                   p.listeners == "?listeners=mousemove" ? 1 : 0};
    EXPECT_EQ(counts(rec), expected) << "the listed event before counts, the refused one does not";
  }
}

TEST(DatakrakenSession, BadJsonAndMalformedMessagesAre1007) {
  auto server = start_datakraken(dk_config());
  for (const std::string& bad :
       {std::string("{nope"), std::string("[1,2]"), std::string("\"start\""), std::string(R"({"type":"hello"})"),
        std::string(R"({"kind":0})"), std::string(R"({"type":1.5})"),
        std::string(R"({"type":0,"timestamp":"now","event":{"X":1,"Y":2,"target":"a"}})"),
        std::string(R"({"type":0,"timestamp":1,"event":{"X":1.5,"Y":2,"target":"a"}})"),
        std::string(R"({"type":0,"timestamp":1,"event":{"X":1,"Y":2}})"),
        std::string(R"({"type":1,"timestamp":1,"event":{"X":1,"Y":2,"elapsed":5}})"),
        std::string(R"({"type":1,"timestamp":1,"event":{"X":1,"Y":2,"ellapsed":-5}})"),
        std::string(R"({"type":1,"timestamp":1})")}) {
    auto s = open_session(server->port());
    s.socket->send(bad);
    EXPECT_EQ(s.socket->wait_close(), 1007) << bad;
  }
  ticket_answer t = issue(server->port());
  test_client no_meta(server->port(), ws_target(t.ticket));
  no_meta.send(R"({"type":"start"})");
  EXPECT_EQ(no_meta.wait_close(), 1007) << "start without meta";
  ticket_answer u = issue(server->port());
  test_client early_junk(server->port(), ws_target(u.ticket));
  early_junk.send("{nope");
  EXPECT_EQ(early_junk.wait_close(), 1007) << "bad JSON before start is still 1007";
}

TEST(DatakrakenSession, BinaryFramesSecondStartAndMessagesAfterEnd) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port());
  s.socket->send_binary(click_frame());
  s.socket->send(start_frame());  // ignored
  s.socket->send(R"({"type":1,"timestamp":1,"event":{"X":0,"Y":-4,"ellapsed":0.5}})");
  s.socket->send(end_frame());
  s.socket->send(click_frame());   // after end: ignored
  s.socket->send("{after end");    // ignored too
  EXPECT_EQ(s.socket->next(300ms).what, ws_event::kind::timeout) << "nothing is closed or sent";
  EXPECT_TRUE(s.socket->close());
  json::object rec = final_record(server->port(), s.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{1}));
  EXPECT_EQ(rec["ended_cleanly"], true);
}

TEST(DatakrakenSession, ThousandsOfEventsAreAllCounted) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port());
  for (int i = 0; i < 3000; ++i) s.socket->send(i % 3 == 0 ? click_frame(i, i) : move_frame(i, i, i));
  s.socket->send(end_frame());
  EXPECT_TRUE(s.socket->close());
  json::object rec = final_record(server->port(), s.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1000}, std::int64_t{2000}));
  EXPECT_EQ(s.socket->messages_seen(), 0);
}

TEST(DatakrakenSession, OversizedFrameIs1009AndTheSessionIsStillRecorded) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port());
  s.socket->send(click_frame());
  s.socket->send(std::string(100 * 1024, ' ') + click_frame());  // above the 64 KiB default
  ws_event e = s.socket->next(5000ms);
  ASSERT_NE(e.what, ws_event::kind::timeout);
  ASSERT_NE(e.what, ws_event::kind::message);
  if (e.what == ws_event::kind::closed) {
    EXPECT_EQ(e.close_code, 1009);
  }
  json::object rec = final_record(server->port(), s.answer.session);
  EXPECT_EQ(counts(rec), std::make_pair(std::int64_t{1}, std::int64_t{0}));
}

TEST(DatakrakenSession, ShutdownClosesOpenSockets1001AndFinishesTheirRecords) {
  auto server = start_datakraken(dk_config());
  auto s = open_session(server->port());
  s.socket->send(click_frame());
  std::this_thread::sleep_for(100ms);
  std::thread stopper([&] { server->stop(); });
  EXPECT_EQ(s.socket->wait_close(5000ms), 1001);
  stopper.join();
}

TEST(DatakrakenSession, UnknownPathUpgradeIs404AndUnknownFaultIs400) {
  auto server = start_datakraken(dk_config());
  ticket_answer t = issue(server->port());
  EXPECT_EQ(test_client(server->port(), "/socket?ticket=" + t.ticket).http_status(), 404u);
  EXPECT_EQ(test_client(server->port(), ws_target(t.ticket, "&fault=nope")).http_status(), 400u);
  EXPECT_EQ(test_client(server->port(), ws_target(t.ticket)).http_status(), 101u) << "neither used the ticket";
}

}  // namespace
}  // namespace drover::fakes
