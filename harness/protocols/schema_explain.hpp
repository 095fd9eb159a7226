#pragma once
// Internal to schema_validator: finds *why* an instance fails a compiled schema. Valijson's
// own error list is flat (wrappers such as "failed to validate against schema associated
// with property 'd'" mixed with the causes, and a oneOf's per-branch errors with no marker
// of where they start), so we walk the compiled schema ourselves: applicators (properties,
// items, allOf, if/then/else, dependencies) are descended into; every other constraint is
// checked by Valijson's ValidationVisitor on its own and, when it fails, becomes one finding
// named after its keyword. oneOf/anyOf/not are reported as themselves, not their branches.
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>
#include <valijson/validation_results.hpp>

namespace valijson {
class Schema;
class Subschema;
}

namespace drover::protocols {

struct schema_finding {
  std::string pointer;
  std::string keyword;
  std::string detail;
};

// Valijson's cache of compiled "pattern" regexes. One per thread: building a std::regex
// costs tens of microseconds, and the map is not safe to share between threads.
std::unordered_map<std::string, std::regex>& thread_regex_cache();
// The compiled regex for `pattern`, from this thread's cache (built on first use). Built
// with libstdc++'s __polynomial flag: its default matcher recurses once per character and
// overflows the stack on strings of about 100 KB; this one runs in linear time. Valijson
// finds these entries in the cache and uses them instead of building its own.
const std::regex& cached_regex(const std::string& pattern);

// Strings longer than this are not matched against a "pattern" (about 1 us per byte even
// with the linear matcher); the check fails with a finding that says so.
inline constexpr std::size_t max_pattern_input = 256 * 1024;

// Fast check, stops at the first failure (schema_check.hpp).
bool schema_accepts(const valijson::Schema& schema, const boost::json::value& instance);

// Causes of failure, in schema order; empty if the instance is valid.
std::vector<schema_finding> explain_failure(const valijson::Schema& schema, const boost::json::value& instance);

// Maps a Valijson error description to the keyword that produced it; "" for the wrapper
// errors that only repeat a cause found deeper. Used when explain_failure finds nothing.
std::string keyword_for_description(std::string_view description);

// Valijson's own exhaustive error list.
valijson::ValidationResults valijson_results(const valijson::Subschema& schema, const boost::json::value& instance);

// Fallback: Valijson's full error list, wrappers dropped, keywords from descriptions.
std::vector<schema_finding> findings_from_results(const valijson::ValidationResults& results);

}  // namespace drover::protocols
