#include "harness/protocols/protocol.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "harness/protocols/json_pointer.hpp"

namespace drover::protocols {
namespace {

namespace json = boost::json;

bool same_value(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    const json::value& signed_one = a.is_int64() ? a : b;
    const json::value& unsigned_one = a.is_int64() ? b : a;
    return signed_one.get_int64() >= 0 &&
           static_cast<std::uint64_t>(signed_one.get_int64()) == unsigned_one.get_uint64();
  }
  return a == b;
}

// Messages are small and short-lived: parse into a stack buffer first.
struct parsed_message {
  unsigned char buffer[4096];
  json::monotonic_resource resource{buffer, sizeof buffer};
  // On the same storage as the parser's result, so taking it is a move, not a deep copy.
  json::value value;
  parsed_message() : value(json::storage_ptr(&resource)) {}
  std::string error;  // empty when parsed
};

json::parse_options message_parse_options() {
  json::parse_options options;
  options.max_depth = 64;
  return options;
}

void parse_into(parsed_message& out, std::string_view text) {
  // One parser per thread keeps its scratch buffers between messages; json::parser (whole
  // text at once) is about twice as fast as json::stream_parser here.
  thread_local json::parser parser({}, message_parse_options());
  parser.reset(&out.resource);
  boost::system::error_code ec;
  std::size_t used = parser.write(text.data(), text.size(), ec);
  if (ec) {
    out.error = "not valid JSON (at byte " + std::to_string(used) + "): " + ec.message();
    return;
  }
  out.value = parser.release();
}

}  // namespace

std::string_view to_string(direction d) { return d == direction::client ? "client" : "server"; }

std::optional<direction> parse_direction(std::string_view text) {
  if (text == "client") return direction::client;
  if (text == "server") return direction::server;
  return std::nullopt;
}

bool match_condition::holds(const json::value& message) const {
  const json::value* field = find_dotted(message, path);
  switch (kind) {
    case test::exists: return field != nullptr;
    case test::absent: return field == nullptr;
    case test::equals: return field != nullptr && same_value(*field, value);
  }
  return false;
}

bool message_entry::in_dialect(std::string_view dialect) const {
  return dialects.empty() || std::find(dialects.begin(), dialects.end(), dialect) != dialects.end();
}

bool message_entry::matches(const json::value& message) const {
  if (text) return false;
  return std::all_of(match.begin(), match.end(), [&](const match_condition& c) { return c.holds(message); });
}

protocol::protocol(protocol&&) noexcept = default;
protocol& protocol::operator=(protocol&&) noexcept = default;
protocol::~protocol() = default;

bool protocol::has_dialect(std::string_view dialect) const {
  return std::find(dialects_.begin(), dialects_.end(), dialect) != dialects_.end();
}

const std::string& protocol::dialect_or_default(std::string_view dialect) const {
  for (const auto& d : dialects_) {
    if (d == dialect) return d;
  }
  return dialects_.front();
}

const close_code* protocol::find_close_code(int code) const {
  for (const auto& c : close_codes_) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const message_entry* protocol::find_message(std::string_view name) const {
  for (const auto& m : messages_) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

const message_entry* protocol::identify(direction dir, std::string_view text, std::string_view dialect) const {
  const std::string& active = dialect.empty() ? default_dialect() : dialect_or_default(dialect);
  for (const auto& m : messages_) {
    if (m.dir == dir && m.text && *m.text == text && m.in_dialect(active)) return &m;
  }
  parsed_message parsed;
  parse_into(parsed, text);
  return parsed.error.empty() ? identify_parsed(dir, parsed.value, dialect) : nullptr;
}

const message_entry* protocol::identify_parsed(direction dir, const json::value& message,
                                               std::string_view dialect) const {
  if (is_packet_array(dir, message)) {
    const auto& packets = message.get_array();
    return packets.empty() ? nullptr : identify_parsed(dir, packets[0], dialect);
  }
  const std::string& active = dialect.empty() ? default_dialect() : dialect_or_default(dialect);
  for (const auto& m : messages_) {
    if (m.dir == dir && !m.text && m.in_dialect(active) && m.matches(message)) return &m;
  }
  return nullptr;
}

validation_result protocol::validate(direction dir, std::string_view text, std::string_view dialect) const noexcept {
  try {
    const std::string& active = dialect.empty() ? default_dialect() : dialect_or_default(dialect);
    for (const auto& m : messages_) {
      if (m.dir == dir && m.text && *m.text == text && m.in_dialect(active)) return {true, &m, {}};
    }
    parsed_message parsed;
    parse_into(parsed, text);
    if (!parsed.error.empty()) {
      validation_result result;
      result.violations.push_back({"", "", "json", parsed.error, make_excerpt(text)});
      return result;
    }
    return validate_parsed(dir, parsed.value, text, dialect);
  } catch (const std::exception& e) {
    validation_result result;
    result.violations.push_back({"", "", "validator", std::string("validator error: ") + e.what(), {}});
    return result;
  }
}

validation_result protocol::validate_parsed(direction dir, const json::value& message, std::string_view text,
                                            std::string_view dialect) const noexcept {
  validation_result result;
  result.json_ok = true;
  try {
    if (is_packet_array(dir, message)) return validate_packets(dir, message.get_array(), text, dialect);
    result.message = identify_parsed(dir, message, dialect);
    if (!result.message) {
      result.violations.push_back(unknown_type(dir, message, text, dialect));
    } else if (result.message->validator) {
      result.violations = result.message->validator->validate(message, text);
      for (auto& v : result.violations) v.message_name = result.message->name;
    }
  } catch (const std::exception& e) {
    result.violations.push_back({"", "", "validator", std::string("validator error: ") + e.what(), {}});
  }
  return result;
}

validation_result protocol::validate_packets(direction dir, const json::array& packets, std::string_view text,
                                             std::string_view dialect) const {
  validation_result result;
  result.json_ok = true;
  if (packets.empty()) {
    result.violations.push_back({"", "", "minItems", "an array of packets must hold at least one packet", make_excerpt(text)});
    return result;
  }
  for (std::size_t i = 0; i < packets.size(); ++i) {
    validation_result one = validate_parsed(dir, packets[i], text, dialect);
    if (i == 0) result.message = one.message;
    for (auto& v : one.violations) {
      v.pointer = "/" + std::to_string(i) + v.pointer;
      result.violations.push_back(std::move(v));
    }
  }
  return result;
}

violation protocol::unknown_type(direction dir, const json::value& message, std::string_view text,
                                 std::string_view dialect) const {
  const std::string& active = dialect.empty() ? default_dialect() : dialect_or_default(dialect);
  violation v;
  v.pointer = dotted_path_to_pointer(discriminator_);
  v.keyword = "discriminator";
  const json::value* field = find_dotted(message, discriminator_);
  std::string who(to_string(dir));
  if (!message.is_object()) {
    v.pointer.clear();
    v.detail = "no " + who + " message type matches this " + std::string(message.is_array() ? "array" : "non-object value");
  } else if (!field) {
    v.detail = "the message has no \"" + discriminator_ + "\" field, so its type is unknown";
  } else {
    v.detail = "no " + who + " message type has \"" + discriminator_ + "\": " +
               make_excerpt(json::serialize(*field), 60) + " in dialect '" + active + "'";
  }
  v.excerpt = text.empty() ? make_excerpt(json::serialize(message)) : make_excerpt(text);
  return v;
}

}  // namespace drover::protocols
