// Every protocol under schemas/: each schema file compiles as draft-07 and uses only
// draft-07 keywords; each "examples" entry validates (and a message schema's examples are
// identified as that message); each tests/schemas/<p>/valid.json case validates; each
// invalid.json case fails with the expected keyword at the expected pointer.
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "harness/protocols/protocol.hpp"
#include "harness/protocols/schema_bundle.hpp"
#include "harness/protocols/schema_files.hpp"
#include "harness/protocols/schema_validator.hpp"
#include "tests/schemas/test_names.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace drover::protocols;

const fs::path schemas_root = fs::path(DROVER_SOURCE_ROOT) / "schemas";
const fs::path cases_root = fs::path(DROVER_SOURCE_ROOT) / "tests" / "schemas";

struct schema_case {
  std::string name;      // gtest parameter name
  std::string label;     // as written in the data, for messages
  std::string protocol;
  std::string schema;    // relative to schemas/<protocol>/
  json::value instance;
  std::string keyword;   // invalid cases
  std::string pointer;   // invalid cases
  std::string problem;   // set when the case could not even be read
};

void PrintTo(const schema_case& c, std::ostream* os) { *os << c.label; }

std::vector<fs::path> protocol_dirs() {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(schemas_root, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "protocol.json")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::vector<std::string> schema_files(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    auto name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 12 && name.ends_with(".schema.json")) {
      files.push_back(entry.path().lexically_relative(dir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The cases are listed when the binary starts (so ctest sees one test per case); a file
// that cannot be read becomes a case that fails with the reason.
struct catalogue {
  std::vector<schema_case> files, examples, valid, invalid;

  catalogue() {
    drover::test::unique_names names;
    for (const auto& dir : protocol_dirs()) {
      std::string p = dir.filename().string();
      for (const auto& rel : schema_files(dir)) {
        std::string label = p + "/" + rel;
        files.push_back({names.make(label), label, p, rel, {}, {}, {}, {}});
        try {
          json::value doc = read_json_file(dir / rel);
          const json::value* list = doc.is_object() ? doc.get_object().if_contains("examples") : nullptr;
          if (!list || !list->is_array()) continue;
          std::size_t i = 0;
          for (const auto& example : list->get_array()) {
            std::string ex = label + " example " + std::to_string(i++);
            examples.push_back({names.make(ex), ex, p, rel, example, {}, {}, {}});
          }
        } catch (const std::exception& e) {
          examples.push_back({names.make(label + " examples"), label, p, rel, {}, {}, {}, e.what()});
        }
      }
      read_cases(names, p, "valid.json", valid);
      read_cases(names, p, "invalid.json", invalid);
    }
  }

  static void read_cases(drover::test::unique_names& names, const std::string& p, const std::string& file,
                         std::vector<schema_case>& out) {
    fs::path path = cases_root / p / file;
    if (!fs::exists(path)) return;
    try {
      json::value doc = read_json_file(path);
      for (const auto& v : doc.as_array()) {
        const auto& o = v.as_object();
        schema_case c;
        c.label = p + ": " + std::string(o.at("name").as_string());
        c.name = names.make(p + " " + std::string(o.at("name").as_string()));
        c.protocol = p;
        c.schema = std::string(o.at("message").as_string());
        c.instance = o.at("instance");
        if (const auto* k = o.if_contains("keyword")) c.keyword = std::string(k->as_string());
        if (const auto* ptr = o.if_contains("pointer")) c.pointer = std::string(ptr->as_string());
        out.push_back(std::move(c));
      }
    } catch (const std::exception& e) {
      out.push_back({names.make(p + " " + file), path.string(), p, {}, {}, {}, {}, e.what()});
    }
  }
};

const catalogue& cases() {
  static const catalogue c;
  return c;
}

// Each schema is compiled once per process.
const schema_validator& compiled(const std::string& protocol, const std::string& schema) {
  static std::map<std::pair<std::string, std::string>, std::unique_ptr<schema_validator>> cache;
  auto& slot = cache[{protocol, schema}];
  if (!slot) {
    fs::path dir = schemas_root / protocol;
    slot = std::make_unique<schema_validator>(
        schema_validator::from_file(dir / schema, schema, file_loader(index_schema_ids(dir))));
  }
  return *slot;
}

const protocol* loaded_protocol(const std::string& name) {
  static std::map<std::string, std::unique_ptr<protocol>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    std::unique_ptr<protocol> p;
    try {
      p = std::make_unique<protocol>(protocol::load(schemas_root / name / "protocol.json"));
    } catch (const std::exception&) {
    }
    it = cache.emplace(name, std::move(p)).first;
  }
  return it->second.get();
}

std::string describe(const std::vector<violation>& found) {
  std::string out;
  for (const auto& v : found) out += "\n    " + (v.pointer.empty() ? "\"\"" : v.pointer) + ": " + v.keyword + ": " + v.detail;
  return out.empty() ? "\n    (no violations)" : out;
}

const std::set<std::string_view> draft7_keywords = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly",
    "definitions", "$defs", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "items", "additionalItems", "maxItems", "minItems",
    "uniqueItems", "contains", "maxProperties", "minProperties", "required", "properties", "patternProperties",
    "additionalProperties", "dependencies", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
    "format", "contentMediaType", "contentEncoding"};

class SchemaFile : public testing::TestWithParam<schema_case> {};
class SchemaExample : public testing::TestWithParam<schema_case> {};
class SchemaValidCase : public testing::TestWithParam<schema_case> {};
class SchemaInvalidCase : public testing::TestWithParam<schema_case> {};

TEST_P(SchemaFile, CompilesAsDraft07WithKnownKeywordsOnly) {
  const auto& c = GetParam();
  json::value doc = read_json_file(schemas_root / c.protocol / c.schema);
  ASSERT_TRUE(doc.is_object()) << c.label << ": a schema file must hold a JSON object";
  if (const auto* s = doc.get_object().if_contains("$schema")) {
    EXPECT_EQ(*s, json::value("http://json-schema.org/draft-07/schema#")) << c.label;
  }
  std::vector<std::string> unknown;
  for_each_subschema(doc, [&](const json::object& schema, const std::string& pointer) {
    for (const auto& member : schema) {
      std::string_view key = member.key();
      if (!draft7_keywords.count(key) && !key.starts_with("x-")) unknown.push_back(pointer + "/" + std::string(key));
    }
  });
  EXPECT_TRUE(unknown.empty()) << c.label << ": not draft-07 keywords (typo?): " << testing::PrintToString(unknown);
  try {
    compiled(c.protocol, c.schema);
  } catch (const std::exception& e) {
    ADD_FAILURE() << c.label << " does not compile: " << e.what();
  }
}

TEST_P(SchemaExample, ValidatesAndIsIdentifiedAsItsMessage) {
  const auto& c = GetParam();
  ASSERT_TRUE(c.problem.empty()) << c.label << ": " << c.problem;
  auto found = compiled(c.protocol, c.schema).validate(c.instance);
  EXPECT_TRUE(found.empty()) << c.label << " does not validate:" << describe(found);
  const protocol* p = loaded_protocol(c.protocol);
  ASSERT_NE(p, nullptr) << c.protocol << "/protocol.json does not load";
  std::vector<const message_entry*> users;
  for (const auto& m : p->messages()) {
    if (m.schema == c.schema) users.push_back(&m);
  }
  if (users.empty()) return;  // not a message schema (common definitions, HTTP answers)
  bool identified = false;
  for (const auto* m : users) {
    for (const auto& dialect : p->dialects()) {
      if (!m->in_dialect(dialect)) continue;
      const message_entry* got = p->identify_parsed(m->dir, c.instance, dialect);
      identified = identified || (got && got->schema == c.schema);
    }
  }
  EXPECT_TRUE(identified) << c.label << " is not identified as " << users.front()->name
                          << " by protocol.json's match rules";
}

TEST_P(SchemaValidCase, Validates) {
  const auto& c = GetParam();
  ASSERT_TRUE(c.problem.empty()) << c.label << ": " << c.problem;
  auto found = compiled(c.protocol, c.schema).validate(c.instance);
  EXPECT_TRUE(found.empty()) << c.label << " does not validate:" << describe(found);
}

TEST_P(SchemaInvalidCase, FailsWithExpectedKeywordAtExpectedPointer) {
  const auto& c = GetParam();
  ASSERT_TRUE(c.problem.empty()) << c.label << ": " << c.problem;
  auto found = compiled(c.protocol, c.schema).validate(c.instance);
  ASSERT_FALSE(found.empty()) << c.label << ": the instance validates";
  bool hit = std::any_of(found.begin(), found.end(), [&](const violation& v) {
    return v.keyword == c.keyword && v.pointer == c.pointer;
  });
  EXPECT_TRUE(hit) << c.label << ": expected " << c.keyword << " at \"" << c.pointer << "\"; found:" << describe(found);
}

std::string name_of(const testing::TestParamInfo<schema_case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Protocols, SchemaFile, testing::ValuesIn(cases().files), name_of);
INSTANTIATE_TEST_SUITE_P(Protocols, SchemaExample, testing::ValuesIn(cases().examples), name_of);
INSTANTIATE_TEST_SUITE_P(Protocols, SchemaValidCase, testing::ValuesIn(cases().valid), name_of);
INSTANTIATE_TEST_SUITE_P(Protocols, SchemaInvalidCase, testing::ValuesIn(cases().invalid), name_of);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SchemaExample);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SchemaValidCase);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SchemaInvalidCase);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SchemaFile);

TEST(ProtocolFiles, EveryProtocolLoadsWithAllItsSchemas) {
  for (const auto& dir : protocol_dirs()) {
    try {
      protocol::load(dir / "protocol.json");
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

}  // namespace
