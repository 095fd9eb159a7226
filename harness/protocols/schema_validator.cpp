#include "harness/protocols/schema_validator.hpp"

#include <atomic>
#include <unordered_set>

#include <boost/json.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>

#include "harness/common/error.hpp"
#include "harness/protocols/formats.hpp"
#include "harness/protocols/schema_explain.hpp"
#include "harness/protocols/schema_files.hpp"
#include "harness/protocols/uri.hpp"

namespace drover::protocols {
namespace {

// Valijson would only find a bad regex at the first message that reaches it.
void collect_patterns(const boost::json::value& document, const std::string& uri, std::vector<std::string>& out) {
  for_each_subschema(document, [&](const boost::json::object& schema, const std::string& pointer) {
    auto check = [&](std::string_view pattern) {
      try {
        std::regex re{std::string(pattern)};
      } catch (const std::regex_error& e) {
        throw usage_error(display_uri(uri) + ": at " + pointer + ": pattern '" + std::string(pattern) +
                          "' is not a regular expression std::regex accepts (" + e.what() + ")");
      }
      out.emplace_back(pattern);
    };
    if (auto it = schema.find("pattern"); it != schema.end() && it->value().is_string()) check(it->value().get_string());
    if (auto it = schema.find("patternProperties"); it != schema.end() && it->value().is_object()) {
      for (const auto& member : it->value().get_object()) check(member.key());
    }
  });
}

std::uint64_t next_schema_id() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

}  // namespace

schema_validator::schema_validator(boost::json::value schema, std::string uri, const document_loader& loader,
                                   std::string name, std::string_view start_pointer)
    : name_(std::move(name)), uri_(std::move(uri)), schema_(std::make_unique<valijson::Schema>()) {
  boost::json::value bundle = bundle_schema(std::move(schema), uri_, loader, start_pointer);
  for (const auto& document : bundle.as_object()) {
    if (document.key() != "$ref") collect_patterns(document.value(), uri_, patterns_);
  }
  id_ = next_schema_id();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.addConstraintBuilder(std::string(native_format_keyword), new format_constraint_builder);
    valijson::adapters::BoostJsonAdapter adapter(bundle);
    parser.populateSchema(adapter, *schema_);
  } catch (const std::exception& e) {
    throw usage_error(display_uri(uri_) + ": not a valid draft-07 schema: " + e.what());
  }
}

schema_validator schema_validator::from_file(const std::filesystem::path& path, std::string name,
                                             const document_loader& loader) {
  return schema_validator(read_json_file(path), file_uri(path), loader ? loader : file_loader(), std::move(name));
}

schema_validator::schema_validator(schema_validator&&) noexcept = default;
schema_validator& schema_validator::operator=(schema_validator&&) noexcept = default;
schema_validator::~schema_validator() = default;

void schema_validator::warm_regex_cache() const {
  if (patterns_.empty()) return;
  thread_local std::unordered_set<std::uint64_t> warmed;
  if (!warmed.insert(id_).second) return;
  for (const auto& p : patterns_) cached_regex(p);
}

bool schema_validator::is_valid(const boost::json::value& instance) const noexcept {
  try {
    warm_regex_cache();
    return schema_accepts(*schema_, instance);
  } catch (...) {
    return false;
  }
}

std::vector<violation> schema_validator::validate(const boost::json::value& instance,
                                                  std::string_view text) const noexcept {
  std::vector<violation> out;
  try {
    warm_regex_cache();
    if (schema_accepts(*schema_, instance)) return out;
    std::vector<schema_finding> findings = explain_failure(*schema_, instance);
    if (findings.empty()) {
      // The walk found nothing Valijson objects to: fall back to Valijson's own list.
      findings = findings_from_results(valijson_results(*schema_, instance));
    }
    if (findings.empty()) findings.push_back({"", "schema", "the message does not match the schema"});
    std::string serialised = text.empty() ? boost::json::serialize(instance) : std::string();
    std::string excerpt = make_excerpt(text.empty() ? serialised : text);
    for (auto& f : findings) {
      out.push_back({name_, std::move(f.pointer), std::move(f.keyword), std::move(f.detail), excerpt});
    }
  } catch (const std::exception& e) {
    out.clear();
    out.push_back({name_, "", "validator", std::string("validator error: ") + e.what(), make_excerpt(text)});
  } catch (...) {
    out.clear();
    out.push_back({name_, "", "validator", "validator error: unknown exception", make_excerpt(text)});
  }
  return out;
}

}  // namespace drover::protocols
