#pragma once
// A protocol as data, loaded from schemas/<p>/protocol.json: its message types per
// direction and dialect, the compiled schema of each, close codes and timing.
//
// Loaded once (protocol::load compiles every schema); afterwards read-only, so one protocol
// may be shared by all workers: identify() and validate() are const and thread-safe (the
// only mutable state is per-thread: a JSON parser and the regex cache). Pointers to
// entries stay valid while the protocol lives, moves included.
//
// Matching (protocol.json "messages"): among the entries of the message's direction and
// dialect (an entry without "dialects" is in every dialect), the FIRST whose "match" fits
// names the message. A scalar match value must equal the field; {"$exists": bool} tests
// presence; keys may be dotted paths ("data.channel", a number indexes an array). An entry
// with "text" matches a frame that is exactly that text ("#1", ""); an entry with neither
// "text" nor "match" matches any JSON message.
//
// When protocol.json has "packets" (SocketCluster), a client frame may be a JSON array of
// packets: each element is identified and validated as its own message, violations carry
// the element's index in their pointer, and the result names the first element's type.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "harness/protocols/schema_validator.hpp"
#include "harness/protocols/violation.hpp"

namespace drover::protocols {

// Who sends the message: client -> server ("client") or server -> client ("server").
enum class direction { client, server };
std::string_view to_string(direction d);
std::optional<direction> parse_direction(std::string_view text);  // "client" | "server"

struct match_condition {
  enum class test { equals, exists, absent };
  std::string path;  // dotted
  test kind = test::equals;
  boost::json::value value;  // for equals; numbers compare by value (0 == 0.0)
  bool holds(const boost::json::value& message) const;
};

struct message_entry {
  std::string name;                       // "DISPATCH"
  direction dir = direction::client;
  std::vector<match_condition> match;     // all must hold
  std::optional<std::string> text;        // set: a non-JSON text frame, matched exactly
  std::string schema;                     // relative to schemas/<p>/; "" = none
  std::string description;
  std::vector<std::string> dialects;      // empty = every dialect
  const schema_validator* validator = nullptr;  // null when there is no schema

  bool in_dialect(std::string_view dialect) const;
  bool matches(const boost::json::value& message) const;  // JSON entries only
};

struct close_code {
  int code = 0;
  std::string name;
  std::string meaning;
  std::string sent_when;
};

struct validation_result {
  bool json_ok = false;                     // the frame was JSON, or a known text frame
  const message_entry* message = nullptr;   // null: not JSON, or unknown type
  std::vector<violation> violations;
  bool valid() const { return violations.empty(); }
};

class protocol {
 public:
  // Reads protocol.json and compiles every schema it names. Throws file_error (unreadable,
  // not JSON, missing schema file) or usage_error (bad field, bad schema), each naming the
  // file and the problem.
  static protocol load(const std::filesystem::path& protocol_json);

  protocol(protocol&&) noexcept;
  protocol& operator=(protocol&&) noexcept;
  ~protocol();

  const std::string& name() const { return name_; }
  const std::string& title() const { return title_; }
  const std::string& discriminator() const { return discriminator_; }
  const std::vector<std::string>& dialects() const { return dialects_; }  // first = default
  const std::string& default_dialect() const { return dialects_.front(); }
  bool has_dialect(std::string_view dialect) const;
  const std::vector<message_entry>& messages() const { return messages_; }
  const std::vector<close_code>& close_codes() const { return close_codes_; }
  const boost::json::object& timing() const { return timing_; }
  const boost::json::object& document() const { return document_; }  // all of protocol.json
  const std::filesystem::path& directory() const { return directory_; }

  const close_code* find_close_code(int code) const;
  const message_entry* find_message(std::string_view name) const;

  // An empty (or unknown: check has_dialect first) dialect means the default one. A text
  // that is neither a text entry nor JSON identifies nothing.
  const message_entry* identify(direction dir, std::string_view text, std::string_view dialect = {}) const;
  const message_entry* identify_parsed(direction dir, const boost::json::value& message,
                                       std::string_view dialect = {}) const;

  // Parses once, identifies, validates against the entry's schema. Never throws. Not JSON:
  // one violation with keyword "json"; unknown type: keyword "discriminator" at the
  // discriminator's pointer.
  validation_result validate(direction dir, std::string_view text, std::string_view dialect = {}) const noexcept;
  // For a message already parsed; `text` only feeds the excerpt (may be empty).
  validation_result validate_parsed(direction dir, const boost::json::value& message, std::string_view text,
                                    std::string_view dialect = {}) const noexcept;

 private:
  protocol() = default;
  friend class protocol_loader;

  const std::string& dialect_or_default(std::string_view dialect) const;
  bool is_packet_array(direction dir, const boost::json::value& message) const {
    return packet_arrays_ && dir == direction::client && message.is_array();
  }
  validation_result validate_packets(direction dir, const boost::json::array& packets, std::string_view text,
                                     std::string_view dialect) const;
  violation unknown_type(direction dir, const boost::json::value& message, std::string_view text,
                         std::string_view dialect) const;

  std::string name_;
  std::string title_;
  std::string discriminator_;
  std::vector<std::string> dialects_;
  std::vector<message_entry> messages_;
  std::vector<close_code> close_codes_;
  boost::json::object timing_;
  boost::json::object document_;
  std::filesystem::path directory_;
  bool packet_arrays_ = false;  // "packets" in protocol.json
  std::map<std::string, std::unique_ptr<schema_validator>> validators_;  // by schema path
};

}  // namespace drover::protocols
