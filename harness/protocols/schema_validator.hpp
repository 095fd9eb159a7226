#pragma once
// One compiled draft-07 JSON Schema (Valijson over Boost.JSON).
//
// Compiled once, in the constructor; afterwards read-only, so one instance may be shared by
// any number of threads calling validate() at once. Valijson's per-validator regex cache is
// kept per thread (schema_explain.hpp); nothing else is mutable.
//
// Cost (tests/bench/bench_validation.cpp): a valid message costs one Valijson pass that
// stops at nothing; an invalid one costs a second walk that names each failure.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "harness/protocols/schema_bundle.hpp"
#include "harness/protocols/violation.hpp"

namespace valijson {
class Schema;
}

namespace drover::protocols {

class schema_validator {
 public:
  // Compiles `schema`, whose own URI is `uri` ("$ref"s resolve against it); `loader`
  // fetches referenced documents. `start_pointer` picks a subschema ("" = the document).
  // `name` fills violation::message_name. Throws usage_error naming `uri` and the problem
  // (unresolvable "$ref", invalid regex, not a schema).
  schema_validator(boost::json::value schema, std::string uri, const document_loader& loader, std::string name = {},
                   std::string_view start_pointer = "");

  // Reads and compiles a schema file; "$ref"s are relative to the file. `loader` defaults to
  // file_loader() (schema_files.hpp). Throws file_error / usage_error naming the file.
  static schema_validator from_file(const std::filesystem::path& path, std::string name = {},
                                    const document_loader& loader = {});

  schema_validator(schema_validator&&) noexcept;
  schema_validator& operator=(schema_validator&&) noexcept;
  ~schema_validator();

  // Never throws; an internal failure counts as invalid.
  bool is_valid(const boost::json::value& instance) const noexcept;

  // Empty when valid. Never throws: an internal failure becomes one violation with keyword
  // "validator" and detail "validator error: ...". `text` (the message as received) is used
  // for the excerpt; when empty the instance is serialised instead.
  std::vector<violation> validate(const boost::json::value& instance, std::string_view text = {}) const noexcept;

  const std::string& name() const { return name_; }
  const std::string& uri() const { return uri_; }

 private:
  // Puts this schema's patterns in the calling thread's regex cache, once per thread, so
  // that Valijson never builds one with the recursive matcher (schema_explain.hpp).
  void warm_regex_cache() const;

  std::string name_;
  std::string uri_;
  std::unique_ptr<valijson::Schema> schema_;
  std::vector<std::string> patterns_;  // every "pattern" and patternProperties key
  std::uint64_t id_ = 0;               // unique per compiled schema, for warm_regex_cache
};

}  // namespace drover::protocols
