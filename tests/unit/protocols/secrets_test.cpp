// Secrets: the rules come from every protocol.json; text is masked by context (JSON fields,
// URL query parameters, headers), and a document masks each value so found everywhere.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "harness/protocols/protocol_catalog.hpp"
#include "harness/protocols/secrets.hpp"

namespace drover::protocols {
namespace {

redactor all_protocols() { return redactor(load_secret_rules(default_schemas_root())); }

TEST(Secrets, EveryProtocolDeclaresItsSecrets) {
  auto rules = load_secret_rules(default_schemas_root());
  for (const char* field : {"token", "apikey", "authtoken", "ticket"}) EXPECT_TRUE(rules.fields.count(field)) << field;
  for (const char* param : {"token", "ticket", "apikey", "key"}) EXPECT_TRUE(rules.query.count(param)) << param;
  for (const char* header : {"authorization", "cookie", "set-cookie"}) EXPECT_TRUE(rules.headers.count(header)) << header;
}

TEST(Secrets, MasksKeepAKindAndAStableTag) {
  std::string a = mask_secret("user:acme:u1:n123456"), b = mask_secret("user:acme:u1:n123457");
  EXPECT_EQ(a.rfind("user:…:••••#", 0), 0u) << a;
  EXPECT_NE(a, b) << "two tokens stay apart";
  EXPECT_EQ(a, mask_secret("user:acme:u1:n123456")) << "the same token, the same mask";
  EXPECT_EQ(mask_secret("Bearer eyJhbGciOi").rfind("Bearer ••••#", 0), 0u);
  EXPECT_EQ(mask_secret("5f1c2b7e-widb-key").rfind("••••#", 0), 0u);
  EXPECT_EQ(mask_secret("5f1c2b7e-widb-key").find("5f1c"), std::string::npos);
}

TEST(Secrets, TextIsMaskedByContext) {
  auto r = all_protocols();
  std::set<std::string> found;
  std::string text = r.redact_text(
      R"(sent {"op":3,"d":{"token":"tok-AAA","type":0}} and {"messageType":"startSession","apiKey":"key-BBB"} )"
      R"(to wss://h/ws?ticket=tic-CCC&x=1 with Authorization: Bearer hdr-DDD)"
      "\n"
      R"({"event":"#handshake","data":{"authToken":"jwt-EEE"}} cut {"op":3,"d":{"token":"tok-FF)",
      &found);
  for (const char* secret : {"tok-AAA", "key-BBB", "tic-CCC", "hdr-DDD", "jwt-EEE", "tok-FF"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  EXPECT_NE(text.find("&x=1"), std::string::npos) << "other parameters stay: " << text;
  EXPECT_NE(text.find(R"("type":0)"), std::string::npos) << text;
  EXPECT_TRUE(found.count("tok-AAA") && found.count("Bearer hdr-DDD") && found.count("tok-FF"));
  // JSON text inside JSON text, and null tokens, which show nothing.
  EXPECT_EQ(r.redact_text(R"("{\"token\":\"inner-GGG\"}")").find("inner-GGG"), std::string::npos);
  EXPECT_EQ(r.redact_text(R"({"authToken":null})"), R"({"authToken":null})");
  EXPECT_EQ(r.redact_text("monkey=banana&keyboard=1"), "monkey=banana&keyboard=1") << "names match whole";
}

TEST(Secrets, DocumentMasksEachFoundValueEverywhere) {
  auto r = all_protocols();
  auto doc = boost::json::parse(R"({
    "run": {"target": "ws://h/?token=url-secret-1", "env": {"TOKEN": "***"}},
    "cases": [{"messages": [{"text": "{\"op\":3,\"d\":{\"token\":\"tok-secret-2\"}}"},
                            {"text": "note: tok-secret-2 was refused; url-secret-1 too"}],
               "data": {"token": "member-secret-3"}}],
    "checks": [{"first_failure": "member-secret-3 and env-secret-4 and tok"}]})");
  r.redact_document(doc, {"env-secret-4"});
  std::string text = boost::json::serialize(doc);
  for (const char* secret : {"url-secret-1", "tok-secret-2", "member-secret-3", "env-secret-4"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  EXPECT_NE(text.find("and tok\""), std::string::npos) << "short words are not values: " << text;
  EXPECT_EQ(doc.at("run").at("env").at("TOKEN").as_string(), "***") << "already masked: left alone";
  EXPECT_EQ(doc.at("cases").at(0).at("messages").at(1).at("text").as_string(),
            "note: " + mask_secret("tok-secret-2") + " was refused; " + mask_secret("url-secret-1") + " too");
}

TEST(Secrets, MalformedSecretsNameTheProblem) {
  secret_rules rules;
  auto proto = boost::json::parse(R"({"messages": [{"name": "IDENTIFY"}], "secrets": {"messages": {"IDENTIFY": ["d/token"]}}})");
  EXPECT_THROW(add_protocol_secrets(rules, proto.as_object(), "p.json"), usage_error);
  proto = boost::json::parse(R"({"messages": [{"name": "IDENTIFY"}], "secrets": {"messages": {"IDENTIFI": ["/d/token"]}}})");
  try {
    add_protocol_secrets(rules, proto.as_object(), "p.json");
    FAIL();
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("IDENTIFI"), std::string::npos) << e.what();
  }
  proto = boost::json::parse(R"({"messages": [{"name": "IDENTIFY"}], "secrets": {"fields": []}})");
  EXPECT_THROW(add_protocol_secrets(rules, proto.as_object(), "p.json"), usage_error);
}

}  // namespace
}  // namespace drover::protocols
