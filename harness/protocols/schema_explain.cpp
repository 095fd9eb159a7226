#include "harness/protocols/schema_explain.hpp"

#include <boost/json.hpp>
#include <valijson/schema.hpp>

#include "harness/protocols/formats.hpp"
#include "harness/protocols/json_pointer.hpp"
#include "harness/protocols/schema_check.hpp"
#include "harness/protocols/schema_words.hpp"
#include "harness/protocols/valijson_walk.hpp"
#include "harness/protocols/violation.hpp"

namespace drover::protocols {
namespace {

namespace json = boost::json;
using namespace walk;

const std::vector<std::string>& root_context() {
  static const std::vector<std::string> context{"<root>"};
  return context;
}

// Checks one constraint alone; Valijson's description of the failure goes to `description`.
bool holds(const vc::Constraint& constraint, const json::value& value, std::string* description = nullptr) {
  valijson::ValidationResults results;
  visitor check(adapter(value), root_context(), true, description ? &results : nullptr, thread_regex_cache());
  bool ok = constraint.accept(check);
  if (!ok && description) {
    valijson::ValidationResults::Error error;
    *description = results.popError(error) ? error.description : "";
  }
  return ok;
}

class explainer : public vc::ConstraintVisitor {
 public:
  explainer(std::vector<schema_finding>& out, const Subschema* empty) : out_(out), empty_(empty) {}

  void explain(const Subschema& schema, const json::value& value, const std::string& pointer, int depth) {
    if (depth > max_depth) {
      add(pointer, "validator", "the schema nests deeper than " + std::to_string(max_depth) + " levels here");
      return;
    }
    if (schema.getAlwaysInvalid()) {
      add(pointer, "false", "no value is allowed here (the schema is `false`)");
      return;
    }
    frame saved = at_;
    at_ = {&value, &pointer, depth};
    Subschema::ApplyFunction fn = [this](const vc::Constraint& c) { return c.accept(*this) || true; };
    schema.apply(fn);
    at_ = saved;
  }

  bool visit(const AllOfConstraint& c) override {
    c.applyToSubschemas([&](unsigned index, const Subschema* s) {
      descend(*s, value(), pointer(), "allOf", "value does not match allOf schema #" + std::to_string(index));
      return true;
    });
    return true;
  }
  bool visit(const AnyOfConstraint& c) override {
    std::size_t matching = 0;
    std::size_t total = count_branches(c, value(), &matching);
    if (matching == 0) add("anyOf", "value matches none of the " + std::to_string(total) + " alternatives in anyOf");
    return true;
  }
  bool visit(const OneOfConstraint& c) override {
    std::size_t matching = 0;
    std::size_t total = count_branches(c, value(), &matching);
    if (matching == 0) {
      add("oneOf", "value matches none of the " + std::to_string(total) + " alternatives in oneOf");
    } else if (matching > 1) {
      add("oneOf", "value matches " + std::to_string(matching) + " of the " + std::to_string(total) +
                       " alternatives in oneOf; exactly one must match");
    }
    return true;
  }
  bool visit(const ConditionalConstraint& c) override {
    bool condition = c.getIfSubschema() == nullptr || accepts(*c.getIfSubschema(), value());
    const Subschema* branch = condition ? c.getThenSubschema() : c.getElseSubschema();
    if (branch) {
      descend(*branch, value(), pointer(), condition ? "then" : "else",
              condition ? "value matches 'if' but not 'then'" : "value matches neither 'if' nor 'else'");
    }
    return true;
  }
  bool visit(const NotConstraint& c) override {
    leaf(c, "not", [] { return std::string("value must not match the schema under 'not'"); });
    return true;
  }
  bool visit(const ConstConstraint& c) override {
    leaf(c, "const", [&] { return "value " + show(value()) + " is not the constant the schema requires"; });
    return true;
  }
  bool visit(const EnumConstraint& c) override {
    leaf(c, "enum", [&] { return "value " + show(value()) + " is not one of the allowed values"; });
    return true;
  }
  bool visit(const TypeConstraint& c) override {
    leaf(c, "type", [&] {
      std::string allowed;
      c.applyToNamedTypes([&](vc::TypeConstraint::JsonType t) {
        allowed += (allowed.empty() ? "" : " or ") + type_name(t);
        return true;
      });
      return "expected " + (allowed.empty() ? std::string("another type") : allowed) + ", got " +
             type_name(value()) + " " + show(value());
    });
    return true;
  }
  bool visit(const ContainsConstraint& c) override {
    leaf(c, "contains", [] { return std::string("no item of the array matches the 'contains' schema"); });
    return true;
  }
  bool visit(const FormatConstraint& c) override {
    leaf(c, "format", [&] { return show(value()) + " is not a valid " + c.getFormat(); });
    return true;
  }
  bool visit(const PolyConstraint& c) override {
    if (const auto* format = dynamic_cast<const format_constraint*>(&c)) {
      leaf(c, "format", [&] { return show(value()) + " is not a valid " + format->format(); });
    } else {
      leaf(c, "custom", [] { return std::string(); });
    }
    return true;
  }
  bool visit(const MaximumConstraint& c) override {
    bool exclusive = c.getExclusiveMaximum();
    leaf(c, exclusive ? "exclusiveMaximum" : "maximum", [&] {
      return show(value()) + (exclusive ? " is not less than " : " is greater than the maximum ") +
             number(c.getMaximum());
    });
    return true;
  }
  bool visit(const MinimumConstraint& c) override {
    bool exclusive = c.getExclusiveMinimum();
    leaf(c, exclusive ? "exclusiveMinimum" : "minimum", [&] {
      return show(value()) + (exclusive ? " is not greater than " : " is less than the minimum ") +
             number(c.getMinimum());
    });
    return true;
  }
  bool visit(const MultipleOfDoubleConstraint& c) override {
    leaf(c, "multipleOf", [&] { return show(value()) + " is not a multiple of " + number(c.getDivisor()); });
    return true;
  }
  bool visit(const MultipleOfIntConstraint& c) override {
    leaf(c, "multipleOf", [&] { return show(value()) + " is not a multiple of " + std::to_string(c.getDivisor()); });
    return true;
  }
  bool visit(const MaxItemsConstraint& c) override {
    return bound(c, "maxItems", "array has ", " items; at most ", c.getMaxItems(), " allowed");
  }
  bool visit(const MinItemsConstraint& c) override {
    return bound(c, "minItems", "array has ", " items; at least ", c.getMinItems(), " required");
  }
  bool visit(const MaxLengthConstraint& c) override {
    return bound(c, "maxLength", "string has ", " characters; at most ", c.getMaxLength(), " allowed");
  }
  bool visit(const MinLengthConstraint& c) override {
    return bound(c, "minLength", "string has ", " characters; at least ", c.getMinLength(), " required");
  }
  bool visit(const MaxPropertiesConstraint& c) override {
    return bound(c, "maxProperties", "object has ", " properties; at most ", c.getMaxProperties(), " allowed");
  }
  bool visit(const MinPropertiesConstraint& c) override {
    return bound(c, "minProperties", "object has ", " properties; at least ", c.getMinProperties(), " required");
  }
  bool visit(const PatternConstraint& c) override {
    std::string pattern = c.getPattern<std::allocator<char>>();
    if (const auto* s = value().if_string(); s && s->size() > max_pattern_input) {
      add("pattern", "a string of " + std::to_string(s->size()) + " bytes is too long to match against the pattern " +
                         pattern + " (drover's limit: " + std::to_string(max_pattern_input) + " bytes)");
      return true;
    }
    cached_regex(pattern);
    leaf(c, "pattern", [&] {
      return show(value()) + " does not match the pattern " + c.getPattern<std::allocator<char>>();
    });
    return true;
  }
  bool visit(const UniqueItemsConstraint& c) override {
    leaf(c, "uniqueItems", [] { return std::string(); });
    return true;
  }
  bool visit(const PropertyNamesConstraint& c) override {
    const auto* obj = value().if_object();
    if (!obj || !c.getSubschema()) return true;
    for (const auto& member : *obj) {
      if (!accepts(*c.getSubschema(), json::value(member.key()))) {
        add("propertyNames", "property name '" + std::string(member.key()) + "' does not match the propertyNames schema");
      }
    }
    return true;
  }
  bool visit(const RequiredConstraint& c) override {
    const auto* obj = value().if_object();
    if (!obj) return true;
    c.applyToRequiredProperties([&](const auto& name) {
      if (!obj->contains(name.c_str())) add("required", "missing required property '" + std::string(name.c_str()) + "'");
      return true;
    });
    return true;
  }
  bool visit(const DependenciesConstraint& c) override {
    const auto* obj = value().if_object();
    if (!obj) return true;
    c.applyToPropertyDependencies([&](const auto& name, const auto& needed) {
      if (!obj->contains(name.c_str())) return true;
      for (const auto& other : needed) {
        if (!obj->contains(other.c_str())) {
          add("dependencies", "property '" + std::string(name.c_str()) + "' requires property '" +
                                  std::string(other.c_str()) + "'");
        }
      }
      return true;
    });
    c.applyToSchemaDependencies([&](const auto& name, const Subschema* s) {
      if (obj->contains(name.c_str())) {
        descend(*s, value(), pointer(), "dependencies",
                "object does not match the schema that property '" + std::string(name.c_str()) + "' requires");
      }
      return true;
    });
    return true;
  }
  bool visit(const PropertiesConstraint& c) override;
  bool visit(const SingularItemsConstraint& c) override;
  bool visit(const LinearItemsConstraint& c) override;

 private:
  struct frame {
    const json::value* value = nullptr;
    const std::string* pointer = nullptr;
    int depth = 0;
  };

  const json::value& value() const { return *at_.value; }
  const std::string& pointer() const { return *at_.pointer; }

  void add(const std::string& pointer, std::string keyword, std::string detail) {
    out_.push_back({pointer, std::move(keyword), std::move(detail)});
  }
  void add(std::string keyword, std::string detail) { add(pointer(), std::move(keyword), std::move(detail)); }

  // Explains why `value` fails `schema`, if it does; when nothing deeper can be named, the
  // failure is reported under `keyword` here.
  void descend(const Subschema& schema, const json::value& v, const std::string& at, std::string_view keyword,
               std::string detail) {
    if (accepts(schema, v)) return;
    if (schema.getAlwaysInvalid()) {
      add(at, std::string(keyword), detail + " (the schema there is `false`: nothing is allowed)");
      return;
    }
    std::size_t before = out_.size();
    explain(schema, v, at, at_.depth + 1);
    if (out_.size() == before) add(at, std::string(keyword), std::move(detail));
  }

  template <class Detail>
  void leaf(const vc::Constraint& c, std::string_view keyword, Detail detail) {
    std::string description;
    if (holds(c, value(), &description)) return;
    std::string text = detail();
    add(std::string(keyword), text.empty() ? description : text);
  }

  template <class Constraint>
  bool bound(const Constraint& c, std::string_view keyword, std::string_view what, std::string_view unit,
             std::uint64_t limit, std::string_view tail) {
    leaf(c, keyword, [&] {
      return std::string(what) + std::to_string(size_of(value())) + std::string(unit) + std::to_string(limit) +
             std::string(tail);
    });
    return true;
  }

  bool accepts(const Subschema& schema, const json::value& value) const {
    return fast_accepts(schema, value, empty_);
  }

  template <class Constraint>
  std::size_t count_branches(const Constraint& c, const json::value& value, std::size_t* matching) const {
    std::size_t total = 0;
    *matching = 0;
    c.applyToSubschemas([&](unsigned, const Subschema* s) {
      ++total;
      if (accepts(*s, value)) ++*matching;
      return true;
    });
    return total;
  }

  std::vector<schema_finding>& out_;
  const Subschema* empty_;
  frame at_;
};

bool explainer::visit(const PropertiesConstraint& c) {
  const auto* obj = value().if_object();
  if (!obj) return true;
  for (const auto& member : *obj) {
    std::string name(member.key());
    std::string at = append_pointer(pointer(), name);
    bool matched = false;
    c.applyToProperties([&](const auto& key, const Subschema* s) {
      if (name == key.c_str()) {
        matched = true;
        descend(*s, member.value(), at, "properties", "property '" + name + "' does not match its schema");
      }
      return true;
    });
    c.applyToPatternProperties([&](const auto& pattern, const Subschema* s) {
      std::string p(pattern.c_str());
      if (std::regex_search(name, cached_regex(p))) {
        matched = true;
        descend(*s, member.value(), at, "patternProperties", "property '" + name + "' does not match the schema for /" + p + "/");
      }
      return true;
    });
    if (matched) continue;
    if (const Subschema* extra = c.getAdditionalPropertiesSubschema()) {
      descend(*extra, member.value(), at, "additionalProperties",
              "property '" + name + "' does not match the additionalProperties schema");
    } else {
      add("additionalProperties", "property '" + name + "' is not allowed");
    }
  }
  return true;
}

bool explainer::visit(const SingularItemsConstraint& c) {
  const auto* arr = value().if_array();
  if (!arr || !c.getItemsSubschema()) return true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    descend(*c.getItemsSubschema(), (*arr)[i], pointer() + "/" + std::to_string(i), "items",
            "item " + std::to_string(i) + " does not match the items schema");
  }
  return true;
}

bool explainer::visit(const LinearItemsConstraint& c) {
  const auto* arr = value().if_array();
  if (!arr) return true;
  std::size_t count = c.getItemSubschemaCount();
  c.applyToItemSubschemas([&](unsigned index, const Subschema* s) {
    if (index < arr->size()) {
      descend(*s, (*arr)[index], pointer() + "/" + std::to_string(index), "items",
              "item " + std::to_string(index) + " does not match its schema");
    }
    return true;
  });
  const Subschema* extra = c.getAdditionalItemsSubschema();
  if (!extra && arr->size() > count) {
    add("additionalItems", "array has " + std::to_string(arr->size()) + " items; at most " + std::to_string(count) +
                               " allowed");
  } else if (extra) {
    for (std::size_t i = count; i < arr->size(); ++i) {
      descend(*extra, (*arr)[i], pointer() + "/" + std::to_string(i), "additionalItems",
              "item " + std::to_string(i) + " does not match the additionalItems schema");
    }
  }
  return true;
}

}  // namespace

std::unordered_map<std::string, std::regex>& thread_regex_cache() {
  thread_local std::unordered_map<std::string, std::regex> cache;
  return cache;
}

const std::regex& cached_regex(const std::string& pattern) {
  auto& cache = thread_regex_cache();
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial)).first;
  }
  return it->second;
}

bool schema_accepts(const valijson::Schema& schema, const json::value& instance) {
  return fast_accepts(schema, instance, schema.emptySubschema());
}

valijson::ValidationResults valijson_results(const Subschema& schema, const json::value& instance) {
  valijson::ValidationResults results;
  visitor check(adapter(instance), root_context(), true, &results, thread_regex_cache());
  check.validateSchema(schema);
  return results;
}

std::vector<schema_finding> explain_failure(const valijson::Schema& schema, const json::value& instance) {
  std::vector<schema_finding> out;
  explainer(out, schema.emptySubschema()).explain(schema, instance, "", 0);
  return out;
}

}  // namespace drover::protocols
