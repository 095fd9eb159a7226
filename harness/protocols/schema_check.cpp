#include "harness/protocols/schema_check.hpp"

#include <boost/json.hpp>

#include "harness/protocols/schema_explain.hpp"
#include "harness/protocols/valijson_walk.hpp"

namespace drover::protocols {
namespace {

namespace json = boost::json;
using namespace walk;

bool has_constraints(const Subschema& s) {
  bool any = false;
  Subschema::ApplyFunction fn = [&](const vc::Constraint&) { return !(any = true); };
  s.applyStrict(fn);
  return any || s.getAlwaysInvalid();
}

class checker : public vc::ConstraintVisitor {
 public:
  explicit checker(const Subschema* empty) : empty_(empty) {}

  bool check(const Subschema& schema, const json::value& value, int depth) {
    if (schema.getAlwaysInvalid()) return false;
    adapter target(value);
    visitor leaf(target, {}, true, nullptr, thread_regex_cache());
    if (depth > max_depth) return leaf.validateSchema(schema);
    node saved = at_;
    at_ = {&value, &leaf, depth};
    Subschema::ApplyFunction fn = [this](const vc::Constraint& c) { return c.accept(*this); };
    bool ok = schema.applyStrict(fn);
    at_ = saved;
    return ok;
  }

  bool visit(const AllOfConstraint& c) override {
    bool ok = true;
    c.applyToSubschemas([&](unsigned, const Subschema* s) { return ok = check(*s, value(), at_.depth + 1); });
    return ok;
  }
  bool visit(const PropertiesConstraint& c) override {
    const auto* obj = value().if_object();
    if (!obj) return true;
    bool ok = true;
    c.applyToProperties([&](const auto& name, const Subschema* s) {
      if (const json::value* member = obj->if_contains(name.c_str())) ok = check(*s, *member, at_.depth + 1);
      return ok;
    });
    if (!ok) return false;
    bool patterns = false;
    c.applyToPatternProperties([&](const auto&, const Subschema*) { return !(patterns = true); });
    const Subschema* extra = c.getAdditionalPropertiesSubschema();
    if (!patterns && extra == empty_) return true;
    return properties_beyond(c, *obj, extra);
  }
  bool visit(const SingularItemsConstraint& c) override {
    const auto* arr = value().if_array();
    const Subschema* items = c.getItemsSubschema();
    if (!arr || !items || !has_constraints(*items)) return true;
    for (const auto& item : *arr) {
      if (!check(*items, item, at_.depth + 1)) return false;
    }
    return true;
  }
  bool visit(const LinearItemsConstraint& c) override {
    const auto* arr = value().if_array();
    if (!arr) return true;
    bool ok = true;
    std::size_t count = c.getItemSubschemaCount();
    c.applyToItemSubschemas([&](unsigned index, const Subschema* s) {
      if (index < arr->size()) ok = check(*s, (*arr)[index], at_.depth + 1);
      return ok;
    });
    if (!ok) return false;
    const Subschema* extra = c.getAdditionalItemsSubschema();
    if (arr->size() <= count || extra == empty_) return true;
    if (!extra) return false;
    for (std::size_t i = count; i < arr->size(); ++i) {
      if (!check(*extra, (*arr)[i], at_.depth + 1)) return false;
    }
    return true;
  }

  bool visit(const AnyOfConstraint& c) override { return leaf(c); }
  bool visit(const ConditionalConstraint& c) override { return leaf(c); }
  bool visit(const ConstConstraint& c) override { return leaf(c); }
  bool visit(const ContainsConstraint& c) override { return leaf(c); }
  bool visit(const DependenciesConstraint& c) override { return leaf(c); }
  bool visit(const EnumConstraint& c) override { return leaf(c); }
  bool visit(const FormatConstraint& c) override { return leaf(c); }
  bool visit(const MaximumConstraint& c) override { return leaf(c); }
  bool visit(const MaxItemsConstraint& c) override { return leaf(c); }
  bool visit(const MaxLengthConstraint& c) override { return leaf(c); }
  bool visit(const MaxPropertiesConstraint& c) override { return leaf(c); }
  bool visit(const MinimumConstraint& c) override { return leaf(c); }
  bool visit(const MinItemsConstraint& c) override { return leaf(c); }
  bool visit(const MinLengthConstraint& c) override { return leaf(c); }
  bool visit(const MinPropertiesConstraint& c) override { return leaf(c); }
  bool visit(const MultipleOfDoubleConstraint& c) override { return leaf(c); }
  bool visit(const MultipleOfIntConstraint& c) override { return leaf(c); }
  bool visit(const NotConstraint& c) override { return leaf(c); }
  bool visit(const OneOfConstraint& c) override { return leaf(c); }
  bool visit(const PatternConstraint& c) override {
    if (const auto* s = value().if_string(); s && s->size() > max_pattern_input) return false;
    cached_regex(c.getPattern<std::allocator<char>>());
    return leaf(c);
  }
  bool visit(const PolyConstraint& c) override { return leaf(c); }
  bool visit(const PropertyNamesConstraint& c) override { return leaf(c); }
  bool visit(const RequiredConstraint& c) override { return leaf(c); }
  bool visit(const TypeConstraint& c) override { return leaf(c); }
  bool visit(const UniqueItemsConstraint& c) override { return leaf(c); }

 private:
  struct node {
    const json::value* value = nullptr;
    visitor* leaf = nullptr;
    int depth = 0;
  };

  const json::value& value() const { return *at_.value; }
  bool leaf(const vc::Constraint& c) { return c.accept(*at_.leaf); }

  // patternProperties and additionalProperties: every member not named in "properties".
  bool properties_beyond(const PropertiesConstraint& c, const json::object& obj, const Subschema* extra) {
    for (const auto& member : obj) {
      std::string name(member.key());
      bool matched = false;
      c.applyToProperties([&](const auto& key, const Subschema*) { return !(matched = name == key.c_str()); });
      bool ok = true;
      c.applyToPatternProperties([&](const auto& pattern, const Subschema* s) {
        if (std::regex_search(name, cached_regex(pattern.c_str()))) {
          matched = true;
          ok = check(*s, member.value(), at_.depth + 1);
        }
        return ok;
      });
      if (!ok) return false;
      if (matched || extra == empty_) continue;
      if (!extra || !check(*extra, member.value(), at_.depth + 1)) return false;
    }
    return true;
  }

  const Subschema* empty_;
  node at_;
};

}  // namespace

bool fast_accepts(const Subschema& schema, const json::value& instance, const Subschema* empty) {
  return checker(empty).check(schema, instance, 0);
}

}  // namespace drover::protocols
