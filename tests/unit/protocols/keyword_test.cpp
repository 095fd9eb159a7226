// Each failing JSON Schema keyword is reported under its own name, at the pointer of the
// offending value (for required/additionalProperties/dependencies: the object).
#include <gtest/gtest.h>

#include "harness/protocols/schema_explain.hpp"
#include "tests/unit/protocols/support.hpp"

namespace drover::protocols {
namespace {

struct keyword_case {
  const char* name;
  const char* schema;
  const char* instance;
  const char* keyword;
  const char* pointer;
};

void PrintTo(const keyword_case& c, std::ostream* os) { *os << c.name; }

const keyword_case keyword_cases[] = {
    {"Required", R"({"properties": {"d": {"required": ["heartbeat_interval"]}}})", R"({"d": {}})", "required", "/d"},
    {"RequiredAtRoot", R"({"required": ["op"]})", R"({})", "required", ""},
    {"Type", R"({"properties": {"seq": {"type": "integer"}}})", R"({"seq": "7"})", "type", "/seq"},
    {"TypeIntegerRejectsFraction", R"({"type": "integer"})", R"(1.5)", "type", ""},
    {"Enum", R"({"properties": {"t": {"enum": ["a", "b"]}}})", R"({"t": "c"})", "enum", "/t"},
    {"Const", R"({"properties": {"op": {"const": 5}}})", R"({"op": 6})", "const", "/op"},
    {"Minimum", R"({"properties": {"a": {"minimum": 0}}})", R"({"a": -1})", "minimum", "/a"},
    {"Maximum", R"({"properties": {"a": {"maximum": 1}}})", R"({"a": 1.5})", "maximum", "/a"},
    {"ExclusiveMinimum", R"({"properties": {"a": {"exclusiveMinimum": 0}}})", R"({"a": 0})", "exclusiveMinimum", "/a"},
    {"ExclusiveMaximum", R"({"properties": {"a": {"exclusiveMaximum": 10}}})", R"({"a": 10})", "exclusiveMaximum", "/a"},
    {"MinLength", R"({"properties": {"s": {"minLength": 3}}})", R"({"s": "ab"})", "minLength", "/s"},
    {"MaxLength", R"({"properties": {"s": {"maxLength": 2}}})", R"({"s": "abc"})", "maxLength", "/s"},
    {"Pattern", R"({"properties": {"s": {"pattern": "^[0-9]+$"}}})", R"({"s": "12a"})", "pattern", "/s"},
    {"Format", R"({"properties": {"ts": {"format": "date-time"}}})", R"({"ts": "2024-01-01"})", "format", "/ts"},
    {"MinItems", R"({"properties": {"d": {"minItems": 3}}})", R"({"d": [1, 2]})", "minItems", "/d"},
    {"MaxItems", R"({"properties": {"d": {"maxItems": 1}}})", R"({"d": [1, 2]})", "maxItems", "/d"},
    {"UniqueItems", R"({"uniqueItems": true})", R"([1, 2, 1])", "uniqueItems", ""},
    {"Contains", R"({"contains": {"const": 3}})", R"([1, 2])", "contains", ""},
    {"MinProperties", R"({"minProperties": 1})", R"({})", "minProperties", ""},
    {"MaxProperties", R"({"maxProperties": 1})", R"({"a": 1, "b": 2})", "maxProperties", ""},
    {"MultipleOf", R"({"properties": {"n": {"multipleOf": 5}}})", R"({"n": 7})", "multipleOf", "/n"},
    {"OneOfNone", R"({"properties": {"d": {"oneOf": [{"required": ["val"]}, {"required": ["d"]}]}}})", R"({"d": {}})",
     "oneOf", "/d"},
    {"OneOfBoth", R"({"properties": {"d": {"oneOf": [{"required": ["val"]}, {"required": ["d"]}]}}})",
     R"({"d": {"val": 1, "d": [1]}})", "oneOf", "/d"},
    {"AnyOf", R"({"anyOf": [{"type": "string"}, {"type": "number"}]})", R"(null)", "anyOf", ""},
    {"Not", R"({"properties": {"x": {"not": {"type": "string"}}}})", R"({"x": "s"})", "not", "/x"},
    {"AdditionalPropertiesFalse", R"({"properties": {"a": {}}, "additionalProperties": false})", R"({"a": 1, "b": 2})",
     "additionalProperties", ""},
    {"AdditionalPropertiesSchema", R"({"additionalProperties": {"type": "integer"}})", R"({"b": "x"})", "type", "/b"},
    {"PatternProperties", R"({"patternProperties": {"^x-": {"type": "string"}}})", R"({"x-a": 1})", "type", "/x-a"},
    {"DependenciesProperty", R"({"dependencies": {"a": ["b"]}})", R"({"a": 1})", "dependencies", ""},
    {"DependenciesSchema", R"({"dependencies": {"a": {"required": ["c"]}}})", R"({"a": 1})", "required", ""},
    {"IfThenReportsTheInnermostKeyword",
     R"({"if": {"properties": {"t": {"const": "HR"}}}, "then": {"properties": {"d": {"required": ["val"]}}}})",
     R"({"t": "HR", "d": {}})", "required", "/d"},
    {"IfElse", R"({"if": {"required": ["a"]}, "then": true, "else": {"required": ["b"]}})", R"({})", "required", ""},
    {"ThenFalse", R"({"if": {"required": ["a"]}, "then": false})", R"({"a": 1})", "then", ""},
    {"AllOfDescends", R"({"allOf": [{"properties": {"a": {"type": "string"}}}]})", R"({"a": 1})", "type", "/a"},
    {"ItemsSchema", R"({"properties": {"d": {"items": {"type": "number"}}}})", R"({"d": [1, "x"]})", "type", "/d/1"},
    {"ItemsTuple", R"({"items": [{"type": "string"}, {"type": "number"}]})", R"(["a", "b"])", "type", "/1"},
    {"AdditionalItemsFalse", R"({"items": [{}], "additionalItems": false})", R"([1, 2])", "additionalItems", ""},
    {"PropertyNames", R"({"propertyNames": {"maxLength": 3}})", R"({"abcd": 1})", "propertyNames", ""},
    {"FalseSchemaUnderProperties", R"({"properties": {"x": false}})", R"({"x": 1})", "properties", "/x"},
    {"FalseSchemaAtRoot", R"(false)", R"(1)", "false", ""},
    {"RefIntoDefinitions", R"({"definitions": {"n": {"type": "number"}}, "properties": {"a": {"$ref": "#/definitions/n"}}})",
     R"({"a": "1"})", "type", "/a"},
    {"EscapedPointer", R"({"properties": {"a/b": {"properties": {"c~d": {"type": "null"}}}}})", R"({"a/b": {"c~d": 1}})",
     "type", "/a~1b/c~0d"},
};

class Keyword : public testing::TestWithParam<keyword_case> {};

TEST_P(Keyword, IsReportedByNameAtThePointer) {
  const auto& c = GetParam();
  auto v = test::compile(c.schema);
  auto found = v.validate(boost::json::parse(c.instance));
  ASSERT_FALSE(found.empty()) << "instance " << c.instance << " validates";
  bool hit = false;
  std::string seen;
  for (const auto& f : found) {
    hit = hit || (f.keyword == c.keyword && f.pointer == c.pointer);
    seen += " [" + f.pointer + " " + f.keyword + ": " + f.detail + "]";
    EXPECT_FALSE(f.detail.empty());
    EXPECT_EQ(f.message_name, "TEST");
  }
  EXPECT_TRUE(hit) << "want " << c.keyword << " at '" << c.pointer << "'; got" << seen;
  EXPECT_FALSE(v.is_valid(boost::json::parse(c.instance)));
}

INSTANTIATE_TEST_SUITE_P(Keywords, Keyword, testing::ValuesIn(keyword_cases),
                         [](const testing::TestParamInfo<keyword_case>& info) { return info.param.name; });

TEST(Keyword, OneOfReportsTheCompositeNotItsBranches) {
  auto v = test::compile(R"({"properties": {"d": {"oneOf": [{"required": ["val"]}, {"required": ["d"]}]}}})");
  auto found = v.validate(boost::json::parse(R"({"d": {}})"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].keyword, "oneOf");
  EXPECT_NE(found[0].detail.find("none of the 2"), std::string::npos) << found[0].detail;
}

TEST(Keyword, EachMissingPropertyIsItsOwnViolationWithAReadableDetail) {
  auto v = test::compile(R"({"required": ["op", "d"], "properties": {"seq": {"type": "integer", "minimum": 0}}})");
  auto found = v.validate(boost::json::parse(R"({"seq": -1})"));
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].detail, "-1 is less than the minimum 0");
  std::set<std::string> details;
  for (const auto& f : found) details.insert(f.detail);
  EXPECT_TRUE(details.count("missing required property 'op'"));
  EXPECT_TRUE(details.count("missing required property 'd'"));
}

TEST(Keyword, TypeDetailNamesExpectedAndActualTypes) {
  auto v = test::compile(R"({"type": ["integer", "null"]})");
  auto found = v.validate(boost::json::parse(R"("7")"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].detail, "expected integer or null, got string \"7\"");
}

TEST(Keyword, ExcerptIsTheMessageCutTo200Bytes) {
  auto v = test::compile(R"({"required": ["op"]})");
  std::string big = R"({"padding": ")" + std::string(500, 'x') + "\"}";
  auto found = v.validate(boost::json::parse(big), big);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].excerpt.size(), 200u);
  EXPECT_TRUE(found[0].excerpt.starts_with(R"({"padding": "xxx)"));
  auto serialised = v.validate(boost::json::parse(R"({"a": 1})"));
  EXPECT_EQ(serialised[0].excerpt, R"({"a":1})");
}

// The fallback path maps Valijson's descriptions; every description Valijson 1.0 writes.
TEST(KeywordForDescription, MapsEveryValijsonDescription) {
  const std::pair<const char*, const char*> table[] = {
      {"Missing required property 'op'.", "required"},
      {"Value type not permitted by 'type' constraint.", "type"},
      {"Failed to match against any enum values.", "enum"},
      {"Failed to match expected value set by 'const' constraint.", "const"},
      {"Expected number greater than or equal to 0.000000", "minimum"},
      {"Expected number greater than 0.000000", "exclusiveMinimum"},
      {"Expected number less than or equal to 1.000000", "maximum"},
      {"Expected number less than 1.000000", "exclusiveMaximum"},
      {"String should be no fewer than 3 characters in length.", "minLength"},
      {"String should be no more than 3 characters in length.", "maxLength"},
      {"Failed to match regex specified by 'pattern' constraint.", "pattern"},
      {"String should be a valid date-time", "format"},
      {"String is not a valid date-time.", "format"},
      {"Array should contain no fewer than 3 elements.", "minItems"},
      {"Array should contain no more than 3 elements.", "maxItems"},
      {"Object should have no fewer than 1 properties.", "minProperties"},
      {"Object should have no more than 1 properties.", "maxProperties"},
      {"Failed to validate against any child schemas allowed by oneOf constraint.", "oneOf"},
      {"Failed to validate against exactly one child schema.", "oneOf"},
      {"Failed to validate against any schemas allowed by anyOf constraint.", "anyOf"},
      {"Target should not validate against schema specified in 'not' constraint.", "not"},
      {"Object contains a property that could not be validated using 'properties' or 'additionalProperties' "
       "constraints: 'b'.",
       "additionalProperties"},
      {"Missing dependency 'b'.", "dependencies"},
      {"Failed to validate against a conditional schema set by if-then-else constraints.", "if"},
      {"Elements at indexes #0 and #2 violate uniqueness constraint.", "uniqueItems"},
      {"Failed to any values against subschema in 'contains' constraint.", "contains"},
      {"Value should be a multiple of 5", "multipleOf"},
      {"Array contains more items than allowed by items constraint.", "additionalItems"},
      {"Failed to validate against schema associated with property name 'd'.", ""},
      {"Failed to validate item #1 in array.", ""},
      {"Failed to validate against child schema #0.", ""},
      {"Failed to validate against additional properties schema", ""},
      {"Failed to validate against dependent schema.", ""},
      {"Something new", "schema"},
  };
  for (const auto& [description, keyword] : table) {
    EXPECT_EQ(keyword_for_description(description), keyword) << description;
  }
}

}  // namespace
}  // namespace drover::protocols

namespace drover::protocols {
namespace {

// std::regex's default matcher recurses once per character: a 100 KB string would
// overflow the stack. Long strings must neither crash nor hang validation.
TEST(Keyword, PatternOnLongStringsNeitherCrashesNorHangs) {
  auto v = test::compile(R"({"properties": {"s": {"pattern": "^[a-z]*$"}, "o": {"oneOf": [{"pattern": "^(a|b)*$"}]}}})");
  boost::json::object long_ok{{"s", std::string(100000, 'a')}, {"o", std::string(100000, 'a')}};
  EXPECT_TRUE(v.validate(long_ok).empty());
  boost::json::object too_long{{"s", std::string(max_pattern_input + 1, 'a')}};
  auto found = v.validate(too_long);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].keyword, "pattern");
  EXPECT_NE(found[0].detail.find("too long"), std::string::npos) << found[0].detail;
}

}  // namespace
}  // namespace drover::protocols
