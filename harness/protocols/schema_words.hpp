#pragma once
// How findings describe values and limits: short JSON excerpts, numbers without trailing
// zeros, JSON Schema type names. Pure functions, any thread.
#include <cstddef>
#include <string>

#include <boost/json/value.hpp>
#include <valijson/constraints/concrete_constraints.hpp>

namespace drover::protocols {

std::string show(const boost::json::value& value);  // JSON text, at most 60 bytes
std::string number(double d);                        // shortest form: 0, 1.5, 60000
std::string type_name(const boost::json::value& v);  // integer, number, string, ...
std::string type_name(valijson::constraints::TypeConstraint::JsonType t);
std::size_t size_of(const boost::json::value& v);    // characters, items or properties

}  // namespace drover::protocols
