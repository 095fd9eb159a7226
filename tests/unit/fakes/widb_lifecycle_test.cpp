// The correct WiDB fake (docs/protocols/widb.md): phones get nothing back, dashboards get each
// dump as parsed logData and each metrics message unchanged, per apiKey; bad input is closed
// 1007 or ignored; the socket outlives endSession.
#include <thread>

#include "widb_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

TEST(WidbFake, DumpBecomesLogDataWithOneEntryPerLineForTheDashboard) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  auto p = phone(server->port(), "k1");
  p->send(dump_frame(threadtime("one") + "\n" + studio("two") + "\n\n" + ios("three") + "\nfour, no format\n"));
  auto m = dash->next_json();
  EXPECT_EQ(m["messageType"], "logData");
  EXPECT_EQ(m["osType"], "Android");
  EXPECT_EQ(entry_texts(m), (std::vector<std::string>{"one", "two", "three", "four, no format"}));
  auto& entries = m["logEntries"].as_array();
  EXPECT_EQ(entries[0].as_object().at("format"), "threadtime");
  EXPECT_EQ(entries[1].as_object().at("format"), "studio");
  EXPECT_EQ(entries[2].as_object().at("format"), "ios");
  EXPECT_TRUE(entries[3].is_string());
  EXPECT_TRUE(silent(*p)) << "the phone gets no answer";
}

TEST(WidbFake, HtmlEntriesMergeLinesOfOneTimeAndLevelAndEscape) {
  auto config = widb_test_config();
  config.entries = widb_config::entry_style::html;
  auto server = start_widb(config);
  auto dash = dashboard(server->port(), "k1");
  auto p = phone(server->port(), "k1");
  p->send(dump_frame(threadtime("a <b> & c") + "\n" + threadtime("second") + "\nno format\n" + ios("x")));
  auto entries = dash->next_json()["logEntries"].as_array();
  ASSERT_EQ(entries.size(), 3u) << json::serialize(entries);
  EXPECT_EQ(entries[0], "<tr><td>05-24 12:12:49.247 E</td><td>AndroidRuntime</td><td>a &lt;b&gt; &amp; c<br>second</td></tr>");
  EXPECT_EQ(entries[1], "<tr><td colspan=\"3\"></td><td>no format</td></tr>");
  EXPECT_EQ(entries[2], "<tr><td>2024-05-22 11:44:31.180 </td><td>Hangouts</td><td>x</td></tr>");
}

TEST(WidbFake, DumpWithoutOsTypeUsesTheSessions) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  auto p = phone(server->port(), "k1", "iOS");
  p->send(dump_frame(ios("hi"), ""));
  EXPECT_EQ(dash->next_json()["osType"], "iOS");
}

TEST(WidbFake, MetricsAreForwardedUnchanged) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  auto p = phone(server->port(), "k1");
  p->send(json::serialize(metrics_object()));
  EXPECT_EQ(dash->next_json(), metrics_object());
}

TEST(WidbFake, EveryDashboardOfTheKeyAndNoOtherGetsTheData) {
  auto server = start_widb(widb_test_config());
  auto d1 = dashboard(server->port(), "k1");
  auto d2 = dashboard(server->port(), "k1");
  auto other = dashboard(server->port(), "k2");
  auto p = phone(server->port(), "k1");
  p->send(dump_frame(threadtime("x")));
  EXPECT_EQ(d1->next_json()["messageType"], "logData");
  EXPECT_EQ(d2->next_json()["messageType"], "logData");
  EXPECT_TRUE(silent(*other));
}

TEST(WidbFake, DumpsOfOnePhoneArriveInOrder) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  auto p = phone(server->port(), "k1");
  for (int i = 0; i < 200; ++i) p->send(dump_frame(threadtime("n" + std::to_string(i))));
  for (int i = 0; i < 200; ++i) {
    auto texts = entry_texts(dash->next_json());
    ASSERT_EQ(texts, std::vector<std::string>{"n" + std::to_string(i)});
  }
}

TEST(WidbFake, SocketStaysOpenAfterEndSession) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  auto p = phone(server->port(), "k1");
  p->send(R"({"messageType":"endSession"})");
  EXPECT_TRUE(silent(*p, 500ms));
  // After endSession the session is over: a dump is ignored until the next startSession.
  p->send(dump_frame(threadtime("late")));
  EXPECT_TRUE(silent(*dash));
  p->send(start_frame("k1"));
  p->send(dump_frame(threadtime("again")));
  EXPECT_EQ(entry_texts(dash->next_json()), std::vector<std::string>{"again"});
}

TEST(WidbFake, MessagesBeforeStartAndUnknownTypesAreIgnored) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  test_client p(server->port(), "/ws");
  p.send(dump_frame(threadtime("early")));
  p.send(R"({"messageType":"heartbeat"})");
  p.send(R"({"no":"type"})");
  p.send(start_frame("k1"));
  p.send(dump_frame(threadtime("ok")));
  EXPECT_EQ(entry_texts(dash->next_json()), std::vector<std::string>{"ok"});
  EXPECT_TRUE(silent(p));
}

TEST(WidbFake, InvalidJsonCloses1007) {
  auto server = start_widb(widb_test_config());
  for (const char* bad : {"{not json", "[1,2]", "\"text\""}) {
    auto p = phone(server->port(), "k1");
    p->send(bad);
    EXPECT_EQ(p->wait_close(), 1007) << bad;
  }
}

TEST(WidbFake, OtherPathsGet404) {
  auto server = start_widb(widb_test_config());
  test_client c(server->port(), "/");
  EXPECT_FALSE(c.handshake_ok());
  EXPECT_EQ(c.http_status(), 404u);
  test_client q(server->port(), "/ws?fault=nope");
  EXPECT_EQ(q.http_status(), 400u) << "an unknown fault in the query is refused";
}

TEST(WidbFake, StopCloses1001) {
  auto server = start_widb(widb_test_config());
  auto p = phone(server->port(), "k1");
  std::thread stopper([&] { server->stop(); });
  EXPECT_EQ(p->wait_close(), 1001);
  stopper.join();
}

TEST(WidbFake, BadConfigurationIsAUsageError) {
  auto config = widb_test_config({"no-such-fault"});
  EXPECT_ANY_THROW(start_widb(config));
  config = widb_test_config();
  config.path = "ws";
  EXPECT_ANY_THROW(start_widb(config));
}

}  // namespace
}  // namespace drover::fakes
