#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/echo/echo_server.hpp"
#include "harness/common/error.hpp"
#include "test_client.hpp"

namespace drover::fakes {
namespace {

using test::test_client;
using test::ws_event;
using namespace std::chrono_literals;

std::unique_ptr<fake_server> echo(std::vector<std::string> faults = {}) {
  echo_config config;
  config.listen.threads = 2;
  config.faults = std::move(faults);
  return start_echo(config);
}

TEST(EchoFake, AcksJsonObjectWithIdKeepingTheIdValue) {
  auto server = echo();
  test_client c(server->port());
  ASSERT_TRUE(c.handshake_ok());
  c.send(R"({"id":{"n":[1,2]},"x":"y"})");
  auto ack = c.next_json();
  EXPECT_EQ(ack["type"], "ack");
  EXPECT_EQ(boost::json::serialize(ack["id"]), R"({"n":[1,2]})");
  EXPECT_TRUE(ack["server_time"].is_int64());
  c.send(R"({"id":"abc"})");
  EXPECT_EQ(c.next_json()["id"], "abc");
}

TEST(EchoFake, EchoesOtherTextAndBinaryUnchanged) {
  auto server = echo();
  test_client c(server->port());
  c.send(R"({"no_id":1})");
  EXPECT_EQ(c.next().data, R"({"no_id":1})");
  c.send("[1,2]");
  EXPECT_EQ(c.next().data, "[1,2]");
  c.send("{broken");
  EXPECT_EQ(c.next().data, "{broken");
  std::string bytes("\x00\x01\xff", 3);
  c.send_binary(bytes);
  ws_event e = c.next();
  EXPECT_EQ(e.data, bytes);
  EXPECT_FALSE(e.text);
}

TEST(EchoFake, PrintsListeningLineWithTheRealPort) {
  auto server = echo();
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->listening_line(), "listening on 127.0.0.1:" + std::to_string(server->port()));
}

TEST(EchoFake, UnknownFaultIsAUsageError) {
  EXPECT_THROW(echo({"no-such-fault"}), usage_error);
}

TEST(EchoFake, UnknownPerConnectionFaultRefusesTheUpgrade) {
  auto server = echo();
  test_client c(server->port(), "/?fault=bogus");
  EXPECT_FALSE(c.handshake_ok());
  EXPECT_EQ(c.http_status(), 400u);
}

TEST(EchoFake, FaultNoHandshakeNeverAnswersTheUpgrade) {
  auto server = echo();
  test_client c(server->port(), "/?fault=no-handshake", 500ms);
  EXPECT_TRUE(c.handshake_timed_out());
}

TEST(EchoFake, FaultReject401AnswersHttp401) {
  auto server = echo({"reject-401"});
  test_client c(server->port());
  EXPECT_FALSE(c.handshake_ok());
  EXPECT_EQ(c.http_status(), 401u);
}

TEST(EchoFake, FaultClose1011ClosesAfterFirstMessage) {
  auto server = echo();
  test_client c(server->port(), "/?fault=close-1011");
  c.send(R"({"id":1})");
  ws_event e = c.next();
  EXPECT_EQ(e.what, ws_event::kind::closed);
  EXPECT_EQ(e.close_code, 1011);
  EXPECT_EQ(e.close_reason, "internal error");
}

TEST(EchoFake, FaultResetDropsWithoutCloseFrame) {
  auto server = echo();
  test_client c(server->port(), "/?fault=reset");
  c.send(R"({"id":1})");
  EXPECT_EQ(c.next().what, ws_event::kind::error);
}

TEST(EchoFake, FaultOversizedAnswersFirstMessageWith20MiB) {
  auto server = echo();
  test_client c(server->port(), "/?fault=oversized");
  c.send(R"({"id":1})");
  ws_event e = c.next(10s);
  ASSERT_EQ(e.what, ws_event::kind::message);
  EXPECT_EQ(e.data.size(), 20u << 20);
  c.send(R"({"id":2})");
  EXPECT_EQ(c.next_json()["id"], 2);
}

TEST(EchoFake, FaultNoAckNeverAnswers) {
  auto server = echo();
  test_client c(server->port(), "/?fault=no-ack");
  c.send(R"({"id":1})");
  c.send("hello");
  EXPECT_EQ(c.next(700ms).what, ws_event::kind::timeout);
}

TEST(EchoFake, FaultSlowAckStillAnswersInOrder) {
  auto server = echo();
  test_client c(server->port(), "/?fault=slow-ack");
  c.send(R"({"id":1})");
  c.send(R"({"id":2})");
  EXPECT_EQ(c.next_json()["id"], 1);
  EXPECT_EQ(c.next_json()["id"], 2);
}

TEST(EchoFake, FaultPingSendsPings) {
  auto server = echo();
  test_client c(server->port(), "/?fault=ping");
  c.next(1000ms);  // nothing but pings arrive meanwhile
  EXPECT_GE(c.pings_received(), 2);
}

TEST(EchoFake, FaultBadJsonAnswersNotJson) {
  auto server = echo();
  test_client c(server->port(), "/?fault=bad-json");
  c.send(R"({"id":1})");
  EXPECT_EQ(c.next().data, "{not json");
}

TEST(EchoFake, PerConnectionFaultAffectsOnlyThatConnection) {
  auto server = echo();
  test_client faulty(server->port(), "/?fault=bad-json");
  test_client fine(server->port());
  fine.send(R"({"id":7})");
  EXPECT_EQ(fine.next_json()["id"], 7);
}

TEST(EchoFake, JunkBytesAreDroppedAndOthersStillServed) {
  auto server = echo();
  EXPECT_TRUE(test::raw_bytes_get_closed(server->port(), std::string(3000, '\x07') + "\r\n\r\n", 3s));
  EXPECT_TRUE(test::raw_bytes_get_closed(server->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 3s));
  test_client c(server->port());
  c.send(R"({"id":1})");
  EXPECT_EQ(c.next_json()["id"], 1);
}

TEST(EchoFake, MessageOverTheLimitIsRefusedWith1009AndOthersStillServed) {
  auto server = echo();
  test_client other(server->port());
  test_client big(server->port());
  // Just over the 1 MiB limit: the socket buffers take it whole, so our write completes and
  // the server's close frame is read rather than lost to a reset in the middle of a 10 MB write.
  big.send(std::string((1u << 20) + 1, 'a'));
  ws_event e = big.next(10s);
  ASSERT_EQ(e.what, ws_event::kind::closed) << "a message over the limit must be closed, got " << e.error;
  EXPECT_EQ(e.close_code, 1009);
  other.send(R"({"id":"still"})");
  EXPECT_EQ(other.next_json()["id"], "still");
}

TEST(EchoFake, StopClosesOpenConnectionsWith1001) {
  auto server = echo();
  test_client c(server->port());
  c.send("x");
  ASSERT_EQ(c.next().data, "x");
  std::thread stopper([&] { server->stop(); });
  ws_event e = c.next(3s);
  stopper.join();
  EXPECT_EQ(e.what, ws_event::kind::closed);
  EXPECT_EQ(e.close_code, 1001);
}

}  // namespace
}  // namespace drover::fakes
