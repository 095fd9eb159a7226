#include "harness/reporting/doc_view.hpp"

#include <cmath>

namespace drover::reporting::view {
namespace {

const boost::json::object empty_object;
const boost::json::array empty_array;

const boost::json::value* member(const boost::json::object& parent, std::string_view key) {
  return parent.if_contains(key);
}

}  // namespace

const boost::json::object& object(const boost::json::object& parent, std::string_view key) {
  const auto* v = member(parent, key);
  return v ? as_object(*v) : empty_object;
}

const boost::json::array& array(const boost::json::object& parent, std::string_view key) {
  const auto* v = member(parent, key);
  if (v == nullptr || !v->is_array()) return empty_array;
  return v->get_array();
}

const boost::json::object& as_object(const boost::json::value& v) {
  return v.is_object() ? v.get_object() : empty_object;
}

std::string string(const boost::json::object& parent, std::string_view key) {
  const auto* v = member(parent, key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string());
}

std::optional<double> as_number(const boost::json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

std::optional<double> number(const boost::json::object& parent, std::string_view key) {
  const auto* v = member(parent, key);
  return v ? as_number(*v) : std::nullopt;
}

double number_or(const boost::json::object& parent, std::string_view key, double fallback) {
  return number(parent, key).value_or(fallback);
}

std::int64_t integer(const boost::json::object& parent, std::string_view key) {
  const auto* v = member(parent, key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double())) return std::llround(v->get_double());
  return 0;
}

bool boolean(const boost::json::object& parent, std::string_view key) {
  const auto* v = member(parent, key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

}  // namespace drover::reporting::view
