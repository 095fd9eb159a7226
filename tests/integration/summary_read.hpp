#pragma once
// Reading a run's summary.json in the integration tests (header-only: hlog_tests and
// integration_tests both use it).
#include <string>

#include <boost/json.hpp>

#include "tests/support/process.hpp"

namespace drover::test {

// The document at DIR/summary.json (throws when it is missing or not a JSON object).
inline boost::json::object load_summary(const std::string& dir) {
  return boost::json::parse(read_file(dir + "/summary.json")).as_object();
}

// A metric's field ("count", "p99", ...), or -1 when the metric or the field is absent.
inline double metric(const boost::json::object& doc, const std::string& name, const std::string& field) {
  const auto* m = doc.at("metrics").as_object().if_contains(name);
  if (!m) return -1;
  const auto* v = m->as_object().if_contains(field);
  return v ? v->to_number<double>() : -1;
}

}  // namespace drover::test
