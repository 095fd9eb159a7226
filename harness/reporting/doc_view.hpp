#pragma once
// Forgiving read access to the result document for the writers: a missing or mistyped field
// reads as empty/zero instead of throwing, so a writer always produces something.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

namespace drover::reporting::view {

const boost::json::object& object(const boost::json::object& parent, std::string_view key);
const boost::json::array& array(const boost::json::object& parent, std::string_view key);
const boost::json::object& as_object(const boost::json::value& v);  // empty object when not one

std::string string(const boost::json::object& parent, std::string_view key);
std::optional<double> number(const boost::json::object& parent, std::string_view key);
double number_or(const boost::json::object& parent, std::string_view key, double fallback = 0);
std::int64_t integer(const boost::json::object& parent, std::string_view key);  // rounds numbers
bool boolean(const boost::json::object& parent, std::string_view key);
std::optional<double> as_number(const boost::json::value& v);

}  // namespace drover::reporting::view
