#pragma once
// Draft-07 "format" checks done by drover instead of Valijson. Valijson 1.0 builds a
// std::regex on every date-time check (about 1 ms per message) and applies formats to
// non-strings; here each check is a hand-written parser that ignores non-strings.
// Checked: date-time, date, time (RFC 3339), ipv4, ipv6. Any other format is an annotation
// and always passes. Pure functions and immutable constraints; any thread.
#include <string>
#include <string_view>

#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>

namespace drover::protocols {

bool is_checked_format(std::string_view format);
// True when `value` is a valid `format`, or the format is not checked.
bool matches_format(std::string_view format, std::string_view value);

class format_constraint : public valijson::constraints::PolyConstraint {
 public:
  explicit format_constraint(std::string format) : format_(std::move(format)) {}
  const std::string& format() const { return format_; }

  bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                valijson::ValidationResults* results) const override;

 private:
  valijson::constraints::Constraint* cloneInto(void* where) const override { return new (where) format_constraint(*this); }
  std::size_t sizeOf() const override { return sizeof(format_constraint); }

  std::string format_;
};

// Registered with the SchemaParser under native_format_keyword (schema_bundle.hpp).
class format_constraint_builder : public valijson::ConstraintBuilder {
 public:
  valijson::constraints::Constraint* make(const valijson::adapters::Adapter& value) const override;
};

}  // namespace drover::protocols
