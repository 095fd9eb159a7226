#include "harness/protocols/schema_words.hpp"

#include <charconv>

#include <boost/json.hpp>
#include <valijson/utils/utf8_utils.hpp>

#include "harness/protocols/violation.hpp"

namespace drover::protocols {

namespace json = boost::json;
namespace vc = valijson::constraints;

std::string show(const json::value& value) { return make_excerpt(json::serialize(value), 60); }

std::string number(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc{} ? std::string(buf, end) : std::to_string(d);
}

std::string type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

std::string type_name(vc::TypeConstraint::JsonType t) {
  using T = vc::TypeConstraint;
  switch (t) {
    case T::kAny: return "any";
    case T::kArray: return "array";
    case T::kBoolean: return "boolean";
    case T::kInteger: return "integer";
    case T::kNull: return "null";
    case T::kNumber: return "number";
    case T::kObject: return "object";
    case T::kString: return "string";
  }
  return "?";
}

std::size_t size_of(const json::value& v) {
  if (const auto* s = v.if_string()) return valijson::utils::u8_strlen(std::string(*s).c_str());
  if (const auto* a = v.if_array()) return a->size();
  if (const auto* o = v.if_object()) return o->size();
  return 0;
}

}  // namespace drover::protocols
