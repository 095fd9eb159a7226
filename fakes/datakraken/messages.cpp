#include "fakes/datakraken/messages.hpp"

#include <limits>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "harness/common/error.hpp"

namespace drover::fakes::datakraken {

namespace json = boost::json;

namespace {

constexpr const char* type_names[event_types] = {"click", "mousemove"};

listener_mask add_name(listener_mask mask, std::string_view name) {
  for (int t = 0; t < event_types; ++t) {
    if (name == type_names[t]) return static_cast<listener_mask>(mask | (1u << t));
  }
  if (name.empty()) throw usage_error("empty listener name (known: click, mousemove)");
  throw usage_error("unknown listener '" + std::string(name) + "' (known: click, mousemove)");
}

bool is_integer(const json::value& v) { return v.is_int64() || v.is_uint64(); }

bool is_non_negative_integer(const json::value& v) { return v.is_uint64() || (v.is_int64() && v.get_int64() >= 0); }

bool is_non_negative_number(const json::value& v) {
  return is_non_negative_integer(v) || (v.is_double() && v.get_double() >= 0);
}

// The first wrong field of a click or mousemove, empty when it is well formed.
std::string event_problem(const json::object& frame, std::int64_t type, std::string_view rest_key) {
  const json::value* ts = frame.if_contains("timestamp");
  if (!ts || !is_non_negative_integer(*ts)) return "\"timestamp\" must be epoch milliseconds (an integer)";
  const json::value* event = frame.if_contains("event");
  if (!event || !event->is_object()) return "\"event\" must be an object";
  const auto& e = event->get_object();
  for (const char* axis : {"X", "Y"}) {
    const json::value* v = e.if_contains(axis);
    if (!v || !is_integer(*v)) return std::string("\"event.") + axis + "\" must be an integer";
  }
  if (type == 0) {
    const json::value* target = e.if_contains("target");
    if (!target || !target->is_string()) return "\"event.target\" must be a string";
  } else {
    const json::value* rest = e.if_contains(rest_key);
    if (!rest || !is_non_negative_number(*rest))
      return "\"event." + std::string(rest_key) + "\" must be milliseconds (a number >= 0)";
  }
  return {};
}

}  // namespace

listener_mask parse_listeners(const std::vector<std::string>& names) {
  listener_mask mask = 0;
  for (const auto& n : names) mask = add_name(mask, n);
  if (mask == 0) throw usage_error("no listener named (known: click, mousemove)");
  return mask;
}

listener_mask parse_listeners(std::string_view comma_list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= comma_list.size()) {
    std::size_t comma = comma_list.find(',', start);
    if (comma == std::string_view::npos) comma = comma_list.size();
    names.emplace_back(comma_list.substr(start, comma - start));
    start = comma + 1;
  }
  return parse_listeners(names);
}

std::vector<std::string> listener_names(listener_mask mask) {
  std::vector<std::string> out;
  for (int t = 0; t < event_types; ++t) {
    if (mask & (1u << t)) out.emplace_back(type_names[t]);
  }
  return out;
}

message classify(std::string_view payload, std::string_view rest_key) {
  message out;
  boost::system::error_code ec;
  json::value value = json::parse(payload, ec);
  if (ec) {
    out.problem = "invalid JSON (" + ec.message() + ")";
    return out;
  }
  if (!value.is_object()) {
    out.problem = "a message is a JSON object";
    return out;
  }
  const json::object& frame = value.get_object();
  const json::value* type = frame.if_contains("type");
  out.kind = message_kind::bad_message;
  if (!type) {
    out.problem = "no \"type\"";
    return out;
  }
  if (type->is_string()) {
    if (type->get_string() == "start") {
      out.kind = message_kind::start;
      const json::value* meta = frame.if_contains("meta");
      if (!meta || !meta->is_object()) out.problem = "start needs an object \"meta\"";
      return out;
    }
    if (type->get_string() == "end") {
      out.kind = message_kind::end;
      return out;
    }
    out.problem = "unknown \"type\" (start, end, or an event type number)";
    return out;
  }
  if (!is_integer(*type)) {
    out.problem = "\"type\" must be \"start\", \"end\" or an integer event type";
    return out;
  }
  out.kind = message_kind::event;
  if (type->is_int64()) {
    out.type = type->get_int64();
  } else {
    std::uint64_t u = type->get_uint64();
    out.type = u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? std::numeric_limits<std::int64_t>::max()
                   : static_cast<std::int64_t>(u);
  }
  if (out.type == 0 || out.type == 1) out.problem = event_problem(frame, out.type, rest_key);
  return out;
}

}  // namespace drover::fakes::datakraken
