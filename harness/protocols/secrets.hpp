#pragma once
// Secrets kept out of outputs (DESIGN.md §10). Which values are secret is data: each
// schemas/<protocol>/protocol.json has a "secrets" object (schemas/README.md):
//   {"messages": {"IDENTIFY": ["/d/token"]}, "query": ["token"], "http": {"SESSION": ["/ticket"]}}
// Redaction finds a secret by its context in any text, since transcripts keep frames cut at
// 600 bytes and details quote fragments that are not JSON documents:
//   - "field": "value" where field is the last segment of a secret pointer of ANY known
//     protocol or a secret header name (compared without case);
//   - name=value in a URL query for a secret query parameter (token, ticket, apiKey, key and
//     the protocols' own);
//   - Name: value for the headers Authorization, Cookie, Set-Cookie.
// Every value found that way is then masked wherever else it occurs in the document (a free
// text note that quotes a token). Masks keep a short non-secret prefix and a stable tag, so
// two tokens stay apart: "user:DEV:U:NONCE" -> "user:…:••••#3f0a", "Bearer x" -> "Bearer ••••#…".
//
// Pure functions and a const redactor: callable from any thread.
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace drover::protocols {

struct secret_rules {
  std::set<std::string> fields;   // JSON field names, lower case
  std::set<std::string> query;    // URL query parameter names, lower case
  std::set<std::string> headers;  // HTTP header names, lower case
};

// token, ticket, apikey, key (query); authorization, cookie, set-cookie (headers, also as fields).
secret_rules default_secret_rules();

// Adds a protocol.json's "secrets" (absent: nothing). Throws usage_error naming `where` and
// the field when it is malformed (a pointer must start with "/").
void add_protocol_secrets(secret_rules& rules, const boost::json::object& protocol_json, const std::string& where);

// The defaults plus the "secrets" of every <root>/*/protocol.json. Throws file_error /
// usage_error naming the file.
secret_rules load_secret_rules(const std::filesystem::path& schemas_root);

// The masked form of one secret value (never contains the value).
std::string mask_secret(std::string_view value);

class redactor {
 public:
  explicit redactor(secret_rules rules) : rules_(std::move(rules)) {}

  // Masks the secrets found by context in text; their values are added to `found` when non-null.
  std::string redact_text(std::string_view text, std::set<std::string>* found = nullptr) const;

  // Redacts a whole document in place: string members named like a secret field, the
  // context rules inside every string, then every value so found (6 characters or more)
  // wherever else it occurs. `also` adds known secret values (e.g. secret --env values).
  void redact_document(boost::json::value& doc, const std::set<std::string>& also = {}) const;

  const secret_rules& rules() const { return rules_; }

 private:
  secret_rules rules_;
};

}  // namespace drover::protocols

namespace drover::protocols {

// What drover prints to the console while a run is in progress (log() lines, Lua errors,
// the target URL) goes through this redactor: the command sets it once before the workers
// start (null: --show-secrets, or no run) and clears it after they stop; reads are atomic.
void set_log_redactor(const redactor* r);
// text with its secrets masked by context (redactor::redact_text), or text as is when none is set.
std::string redact_log(std::string_view text);

}  // namespace drover::protocols
