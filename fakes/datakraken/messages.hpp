#pragma once
// What the DataKraken fake reads: listener names and the frames a browser sends. Pure
// functions; any thread.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace drover::fakes::datakraken {

// Bit t set: event type t is listened to. Types: click = 0, mousemove = 1.
using listener_mask = std::uint8_t;
constexpr int event_types = 2;

// A comma list ("click,mousemove") or a list of names -> mask. Throws usage_error naming an
// unknown or empty name, or an empty list.
listener_mask parse_listeners(std::string_view comma_list);
listener_mask parse_listeners(const std::vector<std::string>& names);
// The names of the mask's types, in type order.
std::vector<std::string> listener_names(listener_mask mask);

enum class message_kind { start, end, event, bad_json, bad_message };

struct message {
  message_kind kind = message_kind::bad_json;
  std::int64_t type = -1;  // event: its type, any integer (2^63 and above read as INT64_MAX)
  // bad_json, bad_message: why. start, event: the first field that is wrong, empty when the
  // message is well formed (the caller decides when shape matters: after 4003 and 4004).
  std::string problem;
};

// One frame. A JSON object whose "type" is "start", "end" or an integer; anything else is
// bad_json (not a JSON object) or bad_message. Shapes checked: start needs an object "meta";
// events of types 0 and 1 need an integer "timestamp" >= 0 and an object "event" with integer
// "X" and "Y" plus a string "target" (0) or a number "ellapsed" >= 0 (1). "end" needs nothing
// more (its timestamp is not used). Other event types are not shape-checked. rest_key: the
// key a mouse move's rest time must have ("ellapsed"; a fault asks for "elapsed").
message classify(std::string_view payload, std::string_view rest_key = "ellapsed");

}  // namespace drover::fakes::datakraken
