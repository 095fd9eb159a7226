// Each WiDB fault breaks its one rule (fakes/README.md "## widb"), per run or per connection.
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "widb_support.hpp"

namespace drover::fakes {
namespace {

using namespace test;
using namespace std::chrono_literals;

std::string four_lines() { return threadtime("a") + "\n" + threadtime("b") + "\n" + threadtime("c") + "\n" + threadtime("d"); }

TEST(WidbFakeFaults, TableListsEveryFaultOnceWithARule) {
  std::set<std::string> names;
  for (const auto& f : widb_faults()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
    EXPECT_NE(f.rule.find("docs/protocols/widb.md §"), std::string::npos) << f.name;
  }
  for (const char* required : {"drop-on-studio-format", "drop-before-start", "drop-on-bad-json", "no-fanout",
                               "fanout-wrong-apikey", "entries-lost", "entries-reordered", "metrics-mangled",
                               "close-after-end"})
    EXPECT_TRUE(names.count(required)) << required;
}

// A drop is an error on the client side, never a close frame.
void expect_dropped(test_client& c) {
  auto e = c.next(3s);
  EXPECT_EQ(e.what, ws_event::kind::error) << "close code " << e.close_code;
}

TEST(WidbFakeFaults, DropOnStudioFormatDropsOnlyOnStudioLines) {
  auto server = start_widb(widb_test_config());
  auto p = phone(server->port(), "k1", "Android", "?fault=drop-on-studio-format");
  p->send(dump_frame(threadtime("fine") + "\n" + ios("fine too")));
  EXPECT_TRUE(silent(*p));
  p->send(dump_frame(studio("boom")));
  expect_dropped(*p);
}

TEST(WidbFakeFaults, DropBeforeStartAndDropOnBadJsonAndUnknownType) {
  auto server = start_widb(widb_test_config());
  test_client early(server->port(), "/ws?fault=drop-before-start");
  early.send(dump_frame(threadtime("early")));
  expect_dropped(early);
  auto bad = phone(server->port(), "k1", "Android", "?fault=drop-on-bad-json");
  bad->send("{not json");
  expect_dropped(*bad);
  auto unknown = phone(server->port(), "k1", "Android", "?fault=drop-on-unknown-type");
  unknown->send(R"({"messageType":"heartbeat"})");
  expect_dropped(*unknown);
}

TEST(WidbFakeFaults, NoFanoutDeliversNothingFromThatPhone) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  auto quiet = phone(server->port(), "k1", "Android", "?fault=no-fanout");
  quiet->send(dump_frame(threadtime("lost")));
  quiet->send(json::serialize(metrics_object()));
  EXPECT_TRUE(silent(*dash));
  auto good = phone(server->port(), "k1");
  good->send(dump_frame(threadtime("kept")));
  EXPECT_EQ(entry_texts(dash->next_json()), std::vector<std::string>{"kept"});
}

TEST(WidbFakeFaults, FanoutWrongApikeyLeaksOtherKeysToThatDashboard) {
  auto server = start_widb(widb_test_config());
  auto spy = dashboard(server->port(), "k2", "?fault=fanout-wrong-apikey");
  auto honest = dashboard(server->port(), "k3");
  auto p = phone(server->port(), "k1");
  p->send(dump_frame(threadtime("secret")));
  EXPECT_EQ(entry_texts(spy->next_json()), std::vector<std::string>{"secret"});
  EXPECT_TRUE(silent(*honest));
}

TEST(WidbFakeFaults, EntriesLostAndReordered) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  phone(server->port(), "k1", "Android", "?fault=entries-lost")->send(dump_frame(four_lines()));
  EXPECT_EQ(entry_texts(dash->next_json()), (std::vector<std::string>{"a", "c", "d"}));
  phone(server->port(), "k1", "Android", "?fault=entries-reordered")->send(dump_frame(four_lines()));
  EXPECT_EQ(entry_texts(dash->next_json()), (std::vector<std::string>{"b", "a", "c", "d"}));
  phone(server->port(), "k1", "Android", "?fault=entries-lost")->send(dump_frame(threadtime("single")));
  EXPECT_EQ(entry_texts(dash->next_json()), std::vector<std::string>{"single"}) << "one-line dumps are untouched";
}

TEST(WidbFakeFaults, UnparsableDroppedAndWrongOstype) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  phone(server->port(), "k1", "Android", "?fault=unparsable-dropped")->send(dump_frame(threadtime("a") + "\njunk"));
  EXPECT_EQ(entry_texts(dash->next_json()), std::vector<std::string>{"a"});
  auto p = phone(server->port(), "k1", "iOS", "?fault=wrong-ostype");
  p->send(dump_frame(ios("x"), ""));
  EXPECT_EQ(dash->next_json()["osType"], "Android");
  p->send(dump_frame(ios("y"), "iOS"));
  EXPECT_EQ(dash->next_json()["osType"], "iOS") << "a dump that names its osType keeps it";
}

TEST(WidbFakeFaults, MetricsMangledChangesUnits) {
  auto server = start_widb(widb_test_config());
  auto dash = dashboard(server->port(), "k1");
  phone(server->port(), "k1", "Android", "?fault=metrics-mangled")->send(json::serialize(metrics_object()));
  auto m = dash->next_json();
  EXPECT_DOUBLE_EQ(m["cpuUsage"].to_number<double>(), 27.0);
  EXPECT_EQ(m["memUsage"].to_number<std::int64_t>(), 1843200LL * 1024);
  EXPECT_EQ(m["memTotal"].to_number<std::int64_t>(), 3774873LL * 1024);
  EXPECT_EQ(m["timeStamp"], metrics_object()["timeStamp"]);
}

TEST(WidbFakeFaults, CloseAfterEndAndAckPhone) {
  auto server = start_widb(widb_test_config());
  auto ending = phone(server->port(), "k1", "Android", "?fault=close-after-end");
  ending->send(R"({"messageType":"endSession"})");
  EXPECT_EQ(ending->wait_close(), 1000);
  auto acked = phone(server->port(), "k1", "Android", "?fault=ack-phone");
  EXPECT_EQ(acked->next_json()["messageType"], "ack") << "startSession is answered";
  acked->send(dump_frame(threadtime("x")));
  EXPECT_EQ(acked->next_json()["messageType"], "ack");
}

// Beast pongs right after on_ping returns; the fault resets first, so no pong ever leaves.
TEST(WidbFakeFaults, DropOnEarlyPingDropsOnlyBeforeTheConnectionIntroducedItself) {
  namespace websocket = boost::beast::websocket;
  auto server = start_widb(widb_test_config({"drop-on-early-ping"}));
  // Pings once (after `first`, when given) and reads; reports whether a pong came and how the read ended.
  auto probe = [&](const std::string& first, bool& pong, boost::system::error_code& read_ec) {
    boost::asio::io_context io;
    websocket::stream<boost::beast::tcp_stream> ws(io);
    ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
    ws.handshake("127.0.0.1", "/ws");
    if (!first.empty()) ws.write(boost::asio::buffer(first));
    ws.control_callback([&](websocket::frame_type kind, auto) { pong = pong || kind == websocket::frame_type::pong; });
    boost::beast::flat_buffer buffer;
    ws.async_ping({}, [](boost::system::error_code) {});
    ws.async_read(buffer, [&](boost::system::error_code ec, std::size_t) { read_ec = ec; });
    io.run_for(1s);
  };
  bool pong = false;
  boost::system::error_code ec;
  probe(start_frame("k1"), pong, ec);
  EXPECT_TRUE(pong) << "after startSession pings are answered";
  pong = false;
  ec = {};
  probe("", pong, ec);
  EXPECT_FALSE(pong);
  EXPECT_TRUE(ec && ec != websocket::error::closed) << "dropped without a close frame: " << ec.message();
}

TEST(WidbFakeFaults, RunWideFaultAppliesToEveryConnection) {
  auto server = start_widb(widb_test_config({"entries-reordered"}));
  auto dash = dashboard(server->port(), "k1");
  phone(server->port(), "k1")->send(dump_frame(four_lines()));
  EXPECT_EQ(entry_texts(dash->next_json()), (std::vector<std::string>{"b", "a", "c", "d"}));
}

}  // namespace
}  // namespace drover::fakes
