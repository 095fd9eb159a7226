#pragma once
// summary.json checked against schemas/harness/summary.schema.json (Valijson), for the
// integration tests that run the binary and read its result document.
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace drover::test {

// Every violation as "path: description"; empty when the document is valid.
std::vector<std::string> summary_schema_violations(const boost::json::value& doc);
// The first violation, or "" when the document is valid.
std::string first_summary_schema_violation(const boost::json::value& doc);

}  // namespace drover::test
