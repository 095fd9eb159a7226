// "$ref" resolution across files: relative to the file, through "$id", and the case that
// Valijson's own remote resolution gets wrong (same pointer in two documents).
#include <gtest/gtest.h>

#include "harness/protocols/schema_bundle.hpp"
#include "harness/protocols/schema_files.hpp"
#include "harness/protocols/uri.hpp"
#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

namespace json = boost::json;

schema_validator from_mini(const std::string& rel) {
  auto dir = test::data_dir() / "mini";
  return schema_validator::from_file(dir / rel, rel, file_loader(index_schema_ids(dir)));
}

TEST(Bundle, SamePointerInTwoDocumentsStaysTwoSchemas) {
  auto hello = from_mini("server/hello.schema.json");
  EXPECT_TRUE(hello.validate(json::parse(R"({"op": 2, "d": {"interval": 5, "sent_at": 7, "iso": "2024-01-01T00:00:00Z"}})"))
                  .empty());
  auto wrong_local = hello.validate(json::parse(R"({"op": 2, "d": {"interval": 5, "sent_at": "2024-01-01T00:00:00Z"}})"));
  ASSERT_EQ(wrong_local.size(), 1u);
  EXPECT_EQ(wrong_local[0].pointer, "/d/sent_at");
  EXPECT_EQ(wrong_local[0].keyword, "type");
  auto wrong_remote = hello.validate(json::parse(R"({"op": 2, "d": {"interval": 5, "iso": 7}})"));
  ASSERT_EQ(wrong_remote.size(), 1u);
  EXPECT_EQ(wrong_remote[0].pointer, "/d/iso");
  EXPECT_EQ(wrong_remote[0].keyword, "type");
}

TEST(Bundle, RelativeReferencesResolveAgainstTheFileWithoutId) {
  auto ping = from_mini("client/ping.schema.json");
  EXPECT_TRUE(ping.validate(json::parse(R"({"op": 0, "ts": "2024-01-01T12:00:00Z"})")).empty());
  auto found = ping.validate(json::parse(R"({"op": 0, "ts": "noon"})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].keyword, "format");
}

TEST(Bundle, ReferencesInsideAReferencedDocumentResolveThere) {
  auto event = from_mini("server/event.schema.json");
  EXPECT_TRUE(event.validate(json::parse(R"({"op": 5, "d": {"kind": "tock"}})")).empty());
  auto found = event.validate(json::parse(R"({"op": 5, "d": {"kind": "tack"}})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].keyword, "enum");
  EXPECT_EQ(found[0].pointer, "/d/kind");
}

TEST(Bundle, RewritesReferencesAndRenamesFormat) {
  auto bundle = bundle_schema(json::parse(R"({"properties": {"a": {"$ref": "#/definitions/x"}},
      "definitions": {"x": {"format": "date", "enum": [{"format": "kept", "$ref": "kept"}]}}})"),
                              "file:///s/a.json", [](const std::string&) -> json::value { return nullptr; });
  EXPECT_EQ(bundle.at("$ref"), "#/d0");
  EXPECT_EQ(bundle.at_pointer("/d0/properties/a/$ref"), "#/d0/definitions/x");
  EXPECT_EQ(bundle.at_pointer("/d0/definitions/x/x-drover-format"), "date");
  EXPECT_FALSE(bundle.at_pointer("/d0/definitions/x").as_object().contains("format"));
  // Data is data: an enum value that looks like a schema is left alone.
  EXPECT_EQ(bundle.at_pointer("/d0/definitions/x/enum/0/format"), "kept");
  EXPECT_EQ(bundle.at_pointer("/d0/definitions/x/enum/0/$ref"), "kept");
}

TEST(Bundle, StartPointerPicksASubschema) {
  auto dir = test::data_dir() / "mini";
  schema_validator kind(read_json_file(dir / "common.schema.json"), file_uri(dir / "common.schema.json"),
                        file_loader(), "kind", "/definitions/kind");
  EXPECT_TRUE(kind.validate(json::parse(R"("tick")")).empty());
  EXPECT_EQ(kind.validate(json::parse(R"("tack")")).at(0).keyword, "enum");
}

TEST(Bundle, UnresolvableReferencesNameTheFileAndTheReference) {
  test::temp_tree tree;
  auto a = tree.write("p/client/a.schema.json", R"({"properties": {"x": {"$ref": "../common.schema.json#/definitions/nope"}}})");
  tree.write("p/common.schema.json", R"({"definitions": {}})");
  try {
    schema_validator::from_file(a);
    FAIL() << "compiled";
  } catch (const usage_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(a.string()), std::string::npos) << what;
    EXPECT_NE(what.find("../common.schema.json#/definitions/nope"), std::string::npos) << what;
  }
  auto b = tree.write("p/client/b.schema.json", R"({"$ref": "missing.schema.json"})");
  try {
    schema_validator::from_file(b);
    FAIL() << "compiled";
  } catch (const file_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(b.string()), std::string::npos) << what;
    EXPECT_NE(what.find("missing.schema.json"), std::string::npos) << what;
  }
}

TEST(Bundle, BadSchemasAreUsageErrorsNamingTheFile) {
  test::temp_tree tree;
  auto regex = tree.write("r.schema.json", R"({"properties": {"s": {"pattern": "(unclosed"}}})");
  EXPECT_THROW(schema_validator::from_file(regex), usage_error);
  auto not_json = tree.write("n.schema.json", R"({"type": )");
  try {
    schema_validator::from_file(not_json);
    FAIL() << "compiled";
  } catch (const file_error& e) {
    EXPECT_NE(std::string(e.what()).find(not_json.string() + ":1:"), std::string::npos) << e.what();
  }
  auto bad_type = tree.write("t.schema.json", R"({"type": 5})");
  try {
    schema_validator::from_file(bad_type);
    FAIL() << "compiled";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find(bad_type.string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace drover::protocols
