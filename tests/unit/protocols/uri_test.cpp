#include <gtest/gtest.h>

#include "harness/protocols/uri.hpp"

namespace drover::protocols {
namespace {

// RFC 3986 section 5.4.1 and 5.4.2.
TEST(Uri, ResolvesReferencesLikeRfc3986) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(resolve_uri(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_uri(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(resolve_uri(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(resolve_uri(base, "/g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "//g"), "http://g");
  EXPECT_EQ(resolve_uri(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(resolve_uri(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(resolve_uri(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(resolve_uri(base, ".."), "http://a/b/");
  EXPECT_EQ(resolve_uri(base, "../g"), "http://a/b/g");
  EXPECT_EQ(resolve_uri(base, "../../g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "../../../g"), "http://a/g");
  EXPECT_EQ(resolve_uri(base, "g;x=1/../y"), "http://a/b/c/y");
  EXPECT_EQ(resolve_uri(base, "urn:x:y"), "urn:x:y");
}

TEST(Uri, ResolvesSchemaFileReferences) {
  EXPECT_EQ(resolve_uri("file:///s/wearable/server/dispatch.schema.json", "../common.schema.json#/definitions/ts"),
            "file:///s/wearable/common.schema.json#/definitions/ts");
  EXPECT_EQ(resolve_uri("https://drover.dev/schemas/w/server/a.json", "../common.json"),
            "https://drover.dev/schemas/w/common.json");
  EXPECT_EQ(resolve_uri("", "#/definitions/a"), "#/definitions/a");
  EXPECT_EQ(resolve_uri("dir/a.json", "../b.json"), "b.json");
}

TEST(Uri, SplitsFragmentsAndDecodesPercents) {
  EXPECT_EQ(split_fragment("a.json#/x"), std::make_pair(std::string("a.json"), std::string("/x")));
  EXPECT_EQ(split_fragment("a.json"), std::make_pair(std::string("a.json"), std::string()));
  EXPECT_EQ(percent_decode("/percent%25field/a%20b/%zz"), "/percent%field/a b/%zz");
}

TEST(Uri, FileUrisRoundTripPaths) {
  std::filesystem::path odd = "/tmp/a dir/#x%/s.json";
  std::string uri = file_uri(odd);
  EXPECT_TRUE(is_file_uri(uri));
  EXPECT_EQ(uri.find(' '), std::string::npos);
  EXPECT_EQ(uri.find('#'), std::string::npos);
  EXPECT_EQ(path_from_file_uri(uri), odd);
  EXPECT_EQ(display_uri(uri), odd.string());
  EXPECT_EQ(display_uri("https://x/y"), "https://x/y");
}

}  // namespace
}  // namespace drover::protocols
