#include <cstdlib>

#include <gtest/gtest.h>

#include "harness/protocols/protocol_catalog.hpp"
#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

const char* good_protocol = R"({"name": "p", "discriminator": "op",
  "messages": [{"name": "A", "direction": "client", "match": {"op": 1}, "schema": "client/a.schema.json"}]})";

// Loads a catalog expected to fail and returns the error's message.
template <class Error>
std::string load_error(const std::filesystem::path& root) {
  try {
    protocol_catalog::load(root);
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong error type: ") + e.what();
  }
  return "loaded without error";
}

TEST(Catalog, LoadsEveryProtocolFolderAndSkipsHarness) {
  test::temp_tree tree;
  tree.write("p/protocol.json", good_protocol);
  tree.write("p/client/a.schema.json", R"({"required": ["op"]})");
  tree.write("harness/protocol.json", "not even JSON");
  tree.write("notes/readme.md", "no protocol here");
  auto catalog = protocol_catalog::load(tree.root());
  EXPECT_EQ(catalog.names(), std::vector<std::string>{"p"});
  ASSERT_NE(catalog.find("p"), nullptr);
  EXPECT_EQ(catalog.find("q"), nullptr);
  auto mini = protocol_catalog::load(test::data_dir());
  EXPECT_EQ(mini.names(), std::vector<std::string>{"mini"});
}

TEST(Catalog, ErrorsNameTheFileAndTheProblem) {
  test::temp_tree tree;
  auto file = tree.write("p/protocol.json", R"({"name": "p", "discriminator": "op", "messages": [)");
  std::string what = load_error<file_error>(tree.root());
  EXPECT_NE(what.find(file.string() + ":1:"), std::string::npos) << what;
  EXPECT_NE(what.find("not valid JSON"), std::string::npos) << what;

  tree.write("p/protocol.json", good_protocol);
  what = load_error<file_error>(tree.root());
  EXPECT_NE(what.find(file.string()), std::string::npos) << what;
  EXPECT_NE(what.find("client/a.schema.json"), std::string::npos) << what;
  EXPECT_NE(what.find("does not exist"), std::string::npos) << what;

  tree.write("p/client/a.schema.json", R"({"properties": {"x": {"$ref": "#/definitions/none"}}})");
  what = load_error<usage_error>(tree.root());
  EXPECT_NE(what.find(file.string()), std::string::npos) << what;
  EXPECT_NE(what.find("a.schema.json"), std::string::npos) << what;
  EXPECT_NE(what.find("#/definitions/none"), std::string::npos) << what;
}

TEST(Catalog, BadFieldsInProtocolJsonAreUsageErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"discriminator": "op", "messages": []})", "\"name\""},
      {R"({"name": "p", "messages": []})", "\"discriminator\""},
      {R"({"name": "p", "discriminator": "op"})", "\"messages\""},
      {R"({"name": "p", "discriminator": "op", "messages": [{"name": "A", "direction": "up"}]})", "messages[0] (A)"},
      {R"({"name": "p", "discriminator": "op", "messages": [{"name": "A", "direction": "client", "dialects": ["v9"]}]})",
       "dialect \"v9\""},
      {R"({"name": "p", "discriminator": "op", "messages": [{"name": "A", "direction": "client", "text": "#1", "match": {}}]})",
       "both \"text\" and \"match\""},
      {R"({"name": "p", "discriminator": "op", "messages": [{"name": "A", "direction": "client", "match": {"op": {"$exists": 1}}}]})",
       "$exists"},
      {R"({"name": "p", "discriminator": "op", "messages": [], "close_codes": [{"code": "4000"}]})", "close_codes[0]"},
  };
  for (const auto& [content, expected] : cases) {
    test::temp_tree tree;
    auto file = tree.write("p/protocol.json", content);
    std::string what = load_error<usage_error>(tree.root());
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find(expected), std::string::npos) << "want '" << expected << "' in: " << what;
  }
}

TEST(Catalog, MissingRootIsAFileError) {
  std::string what = load_error<file_error>("/nonexistent/drover/schemas");
  EXPECT_NE(what.find("/nonexistent/drover/schemas"), std::string::npos) << what;
  EXPECT_NE(what.find("DROVER_SCHEMAS"), std::string::npos) << what;
}

TEST(Catalog, DefaultRootHonoursDroverSchemas) {
  const char* old = std::getenv("DROVER_SCHEMAS");
  std::string saved = old ? old : "";
  ::setenv("DROVER_SCHEMAS", "/somewhere/schemas", 1);
  EXPECT_EQ(default_schemas_root(), std::filesystem::path("/somewhere/schemas"));
  ::unsetenv("DROVER_SCHEMAS");
  auto fallback = default_schemas_root();
  EXPECT_TRUE(std::filesystem::is_directory(fallback)) << fallback;
  EXPECT_EQ(fallback.filename(), "schemas");
  if (old) ::setenv("DROVER_SCHEMAS", saved.c_str(), 1);
}

}  // namespace
}  // namespace drover::protocols
