// GCC 12 warns about a memcpy in valijson's json_pointer (std::string::replace inlined at -O2):
// a known false positive of -Wrestrict, not our code.
#pragma GCC diagnostic ignored "-Wrestrict"

#include "tests/integration/summary_schema.hpp"

#include <boost/json/parse.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "tests/support/process.hpp"

namespace drover::test {

std::vector<std::string> summary_schema_violations(const boost::json::value& doc) {
  auto schema_json = boost::json::parse(read_file(std::string(DROVER_SOURCE_ROOT) + "/schemas/harness/summary.schema.json"));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::BoostJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(doc);
  std::vector<std::string> out;
  if (validator.validate(schema, target, &results)) return out;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    std::string path;
    for (const auto& p : e.context) path += p;
    out.push_back(path + ": " + e.description);
  }
  return out;
}

std::string first_summary_schema_violation(const boost::json::value& doc) {
  auto all = summary_schema_violations(doc);
  return all.empty() ? "" : all.front();
}

}  // namespace drover::test
