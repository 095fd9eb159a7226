#pragma once
// Small derived views of the result document that several writers show the same way.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace drover::reporting {

// Checks with failures first, otherwise in the document's order.
std::vector<const boost::json::object*> checks_failures_first(const boost::json::object& doc);

// Verdicts in order of severity, best first: OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED.
const std::vector<std::string>& verdict_order();
// "12 OK, 1 NON-STRICT, 1 FAILED" (verdicts with no case left out; unknown verdicts last).
std::string verdict_summary(const boost::json::array& cases);

struct validation_totals {
  std::int64_t messages = 0;
  std::int64_t invalid = 0;
};
validation_totals totals_of(const boost::json::object& validation);

// The status line's words: "passed (exit 0)", "thresholds_breached: 1 of 3 breached (exit 1)".
std::string status_text(const boost::json::object& doc);
bool status_passed(const boost::json::object& doc);

// Run settings in display form, e.g. {"target", "ws://..."}; entries with no value are left out.
std::vector<std::pair<std::string, std::string>> settings_of(const boost::json::object& doc);

}  // namespace drover::reporting
