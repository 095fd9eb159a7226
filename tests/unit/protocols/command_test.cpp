#include <sstream>

#include <gtest/gtest.h>

#include "harness/protocols/commands.hpp"
#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

const protocol_catalog& catalog() {
  static const protocol_catalog c = protocol_catalog::load(test::data_dir());
  return c;
}

struct run_result {
  int code;
  std::string out;
  std::string err;
};

run_result run(std::vector<std::string> files, std::string direction = "auto", std::string dialect = "",
               std::string protocol = "mini", std::string input = "") {
  std::ostringstream out, err;
  std::istringstream in(input);
  int code = validate_command(catalog(), protocol, std::move(files), direction, dialect, out, err, in);
  return {code, out.str(), err.str()};
}

TEST(ValidateCommand, AllValidExitsZeroWithACountLine) {
  test::temp_tree tree;
  auto a = tree.write("a.json", R"({"op": 2, "d": {"interval": 10}})");
  auto b = tree.write("b.json", R"({"op": 0})");
  auto r = run({a.string(), b.string()});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "2 messages checked against mini: 2 valid, 0 invalid\n");
  EXPECT_EQ(r.err, "");
}

TEST(ValidateCommand, InvalidExitsOneAndPrintsFileLineTypePointerKeywordDetail) {
  test::temp_tree tree;
  auto a = tree.write("a.json", "{\n  \"op\": 2,\n  \"d\": {\n    \"interval\": 0\n  }\n}\n");
  auto r = run({a.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, a.string() + ":4: HELLO /d/interval: exclusiveMinimum: 0 is not greater than 0\n"
                   "1 message checked against mini: 0 valid, 1 invalid\n");
}

TEST(ValidateCommand, UnknownTypeAndBadJsonAreInvalid) {
  test::temp_tree tree;
  auto unknown = tree.write("u.json", R"({"op": 99})");
  auto broken = tree.write("b.json", R"({"op": )");
  auto r = run({unknown.string(), broken.string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find(unknown.string() + ":1: (unknown) /op: discriminator: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(broken.string() + ":1: (unknown) /: json: not valid JSON"), std::string::npos) << r.out;
}

TEST(ValidateCommand, StdinHoldsOneMessagePerLine) {
  auto r = run({"-"}, "server", "", "mini", "{\"op\": 2, \"d\": {\"interval\": 1}}\n\n{\"op\": 2}\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "-:3: HELLO /: required: missing required property 'd'\n"
                   "2 messages checked against mini: 1 valid, 1 invalid\n");
}

TEST(ValidateCommand, DirectionAndDialectNarrowTheCheck) {
  test::temp_tree tree;
  auto ping = tree.write("p.json", R"({"op": 0})");
  EXPECT_EQ(run({ping.string()}, "client").code, 0);
  EXPECT_EQ(run({ping.string()}, "server").code, 1);
  auto v1 = tree.write("v.json", R"({"op": 7})");
  EXPECT_EQ(run({v1.string()}, "auto", "v1").code, 0);
  EXPECT_EQ(run({v1.string()}, "auto", "documented").code, 1);
}

TEST(ValidateCommand, UsageProblemsAndUnreadableFilesExitTwo) {
  auto unknown = run({"x.json"}, "auto", "", "nope");
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("unknown protocol 'nope'; known: mini"), std::string::npos) << unknown.err;
  EXPECT_EQ(run({"x.json"}, "sideways").code, 2);
  EXPECT_EQ(run({"x.json"}, "auto", "v9").code, 2);
  EXPECT_EQ(run({}).code, 2);
  test::temp_tree tree;
  auto good = tree.write("g.json", R"({"op": 0})");
  auto missing = run({good.string(), (tree.root() / "missing.json").string()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("missing.json: cannot read the file"), std::string::npos) << missing.err;
}

TEST(ProtocolsCommand, ListsMessagesAndCloseCodes) {
  std::ostringstream out;
  EXPECT_EQ(protocols_command(catalog(), out), 0);
  std::string text = out.str();
  EXPECT_NE(text.find("mini - A small protocol for the unit tests"), std::string::npos) << text;
  EXPECT_NE(text.find("dialects: documented (default) v1"), std::string::npos) << text;
  EXPECT_NE(text.find("server HELLO"), std::string::npos) << text;
  EXPECT_NE(text.find("server/hello.schema.json"), std::string::npos) << text;
  EXPECT_NE(text.find("text frame \"#1\"  [v1]"), std::string::npos) << text;
  EXPECT_NE(text.find("4000  BAD_THING"), std::string::npos) << text;
}

}  // namespace
}  // namespace drover::protocols
