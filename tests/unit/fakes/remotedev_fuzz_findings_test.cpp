// Two bugs of the RemoteDev fake (fakes/remotedev/session.cpp) seen while writing the
// fake_sessions fuzz target's RemoteDev seeds and reproduced through that target (a UBSan
// report; its check that every text frame from a fake is UTF-8). Their inputs are under
// tests/fuzz/regressions/fake_sessions/:
//  - handshake-wrong-rid-int64-max: the fault's rid was cid + 1, a signed overflow at
//    INT64_MAX (UBSan), and no other value at all for a double cid of 2^53 or more;
//  - long-channel-name-cut-mid-utf8: the error for a channel name above 1024 bytes quoted its
//    first 64 bytes, which could end inside a UTF-8 character: a text frame that is not UTF-8.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/fakes/remotedev_support.hpp"

namespace drover::fakes::test {
namespace {

// The rid the fault handshake-wrong-rid answers to a handshake with this cid (raw JSON).
json::value wrong_rid_for(std::uint16_t port, const std::string& cid_json) {
  test_client c(port, "/socketcluster/?fault=handshake-wrong-rid");
  EXPECT_TRUE(c.handshake_ok());
  c.send(R"({"event":"#handshake","data":{"authToken":null},"cid":)" + cid_json + "}");
  json::object answer = c.next_json();
  return answer.contains("rid") ? answer["rid"] : json::value();
}

TEST(RemotedevFuzzFindings, HandshakeWrongRidIsAnotherNumberAtTheEdges) {
  for (auto protocol : {v1, v2}) {
    SCOPED_TRACE(name_of(protocol));
    auto server = start_remotedev(remotedev_test_config(protocol));
    EXPECT_EQ(wrong_rid_for(server->port(), "9223372036854775807"), INT64_MAX - 1) << "no overflow";
    EXPECT_EQ(wrong_rid_for(server->port(), "9223372036854775806"), INT64_MAX);
    EXPECT_EQ(wrong_rid_for(server->port(), "18446744073709551615"), 0u) << "wraps: another value";
    for (const char* big : {"1e300", "9007199254740992.0", "-1e300"}) {
      json::value rid = wrong_rid_for(server->port(), big);
      ASSERT_TRUE(rid.is_double()) << big << ": " << json::serialize(rid);
      EXPECT_NE(rid.get_double(), json::parse(big).to_number<double>()) << big << ": the rid must not be the cid";
    }
    EXPECT_EQ(wrong_rid_for(server->port(), "1.5"), 2.5);
  }
}

TEST(RemotedevFuzzFindings, LongChannelNameErrorQuotesWholeCharacters) {
  for (auto protocol : {v1, v2}) {
    SCOPED_TRACE(name_of(protocol));
    auto server = start_remotedev(remotedev_test_config(protocol));
    auto c = handshaken(server->port());
    // 400 euro signs, 3 bytes each: byte 64 falls inside the 22nd.
    std::string euros;
    for (int i = 0; i < 400; ++i) euros += "\xe2\x82\xac";
    c->send(subscribe_packet(euros, 2));
    json::object error = c->next_json();  // a GTest failure when the frame is not UTF-8
    ASSERT_TRUE(error.contains("error")) << json::serialize(error);
    EXPECT_EQ(error["error"].as_object()["name"], "BrokerError");
    std::string message(error["error"].as_object()["message"].as_string());
    EXPECT_NE(message.find(euros.substr(0, 63) + "..."), std::string::npos) << "21 whole characters: " << message;
    // And the connection is still usable.
    c->send(subscribe_packet("log", 3));
    EXPECT_EQ(c->next_json(), (json::object{{"rid", 3}}));
  }
}

}  // namespace
}  // namespace drover::fakes::test
