#pragma once
// One schema or protocol violation found in one message. Plain data; copy freely.
#include <cstddef>
#include <string>
#include <string_view>

namespace drover::protocols {

struct violation {
  std::string message_name;  // message type from protocol.json ("DISPATCH"); empty when unknown
  std::string pointer;       // RFC 6901 pointer to the offending value ("" = whole message);
                             // for `required`, `additionalProperties` and `dependencies`: the object
  std::string keyword;       // failed JSON Schema keyword ("required", "type", ...), or "json"
                             // (not JSON), "discriminator" (unknown type), "validator" (internal)
  std::string detail;        // one human sentence
  std::string excerpt;       // the message, cut to at most 200 bytes (valid UTF-8)
};

// Cuts `text` to at most `max_bytes` bytes without splitting a UTF-8 sequence; a cut text
// ends with "...". Newlines become spaces so an excerpt stays on one line.
std::string make_excerpt(std::string_view text, std::size_t max_bytes = 200);

}  // namespace drover::protocols
