// The built-in ws_* metrics a connection records into its worker's recorder.
#include <gtest/gtest.h>

#include "harness/metrics/recorder.hpp"
#include "tests/support/ws_test_server.hpp"
#include "tests/unit/transport/sync_client.hpp"

namespace drover::transport::testing {
namespace {

namespace names = metrics::names;

double counter(const metrics::recorder& rec, std::string_view name) {
  auto* e = rec.find(name);
  return e && e->counter ? e->counter->total : -1;
}

std::uint64_t trend_count(const metrics::recorder& rec, std::string_view name) {
  auto* e = rec.find(name);
  return e && e->trend ? e->trend->values.count() : 0;
}

TEST(WsConnectionMetrics, SessionMessagesBytesPingAndCloseCode) {
  test::ws_test_server server;
  metrics::recorder rec;
  {
    sync_client c(&rec);
    ASSERT_FALSE(c.connect(server.url()).error);
    EXPECT_FALSE(c.send("ab"));
    EXPECT_FALSE(c.send("cde", true));
    EXPECT_FALSE(c.recv().first);
    EXPECT_FALSE(c.recv().first);
    EXPECT_EQ(c.recv(20ms).first.kind, error_kind::recv_timeout);
    EXPECT_FALSE(c.ping().first);
    EXPECT_FALSE(c.close(1000, "done"));
  }
  EXPECT_EQ(counter(rec, names::ws_sessions), 1);
  EXPECT_EQ(counter(rec, names::ws_msgs_sent), 2);
  EXPECT_EQ(counter(rec, names::ws_msgs_received), 2);
  EXPECT_EQ(counter(rec, names::data_sent), 5);
  EXPECT_EQ(counter(rec, names::data_received), 5);
  EXPECT_EQ(rec.find(names::data_sent)->counter->unit, metrics::value_unit::bytes);
  EXPECT_EQ(trend_count(rec, names::ws_connecting), 1u);
  EXPECT_EQ(trend_count(rec, names::ws_handshaking), 1u);
  EXPECT_EQ(trend_count(rec, names::ws_ping), 1u);
  EXPECT_EQ(trend_count(rec, names::ws_session_duration), 1u);
  EXPECT_EQ(rec.close_codes().at(1000), 1u);
  EXPECT_TRUE(rec.errors().empty()) << "a recv timeout is the script's business, not a transport error";
}

TEST(WsConnectionMetrics, FailuresAreCountedByKind) {
  metrics::recorder rec;
  {
    sync_client c(&rec);
    auto r = c.connect("ws://127.0.0.1:" + std::to_string(test::unused_port()) + "/");
    EXPECT_EQ(r.error.kind, error_kind::connection_refused);
  }
  test::ws_server_options options;
  options.mode = test::server_mode::reset_after_open;
  test::ws_test_server server(options);
  {
    sync_client c(&rec);
    ASSERT_FALSE(c.connect(server.url()).error);
    EXPECT_EQ(c.recv().first.kind, error_kind::reset);
  }
  ASSERT_EQ(rec.errors().count("connection_refused"), 1u);
  EXPECT_EQ(rec.errors().at("connection_refused").count, 1u);
  ASSERT_EQ(rec.errors().count("reset"), 1u);
  EXPECT_EQ(rec.errors().at("reset").count, 1u);
  EXPECT_EQ(counter(rec, names::ws_errors), 2);
  EXPECT_EQ(counter(rec, names::ws_sessions), 1) << "the refused connection never opened";
  EXPECT_EQ(rec.close_codes().at(1006), 1u);
}

TEST(WsConnectionMetrics, AbortRecordsNoCloseCodeAndNoError) {
  test::ws_test_server server;
  metrics::recorder rec;
  {
    sync_client c(&rec);
    ASSERT_FALSE(c.connect(server.url()).error);
    c.conn->abort();
  }
  EXPECT_TRUE(rec.close_codes().empty());
  EXPECT_TRUE(rec.errors().empty());
  EXPECT_EQ(trend_count(rec, names::ws_session_duration), 1u);
}

}  // namespace
}  // namespace drover::transport::testing
