#include "harness/protocols/schema_bundle.hpp"

#include <map>
#include <memory>
#include <set>
#include <vector>

#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/protocols/json_pointer.hpp"
#include "harness/protocols/uri.hpp"

namespace drover::protocols {
namespace {

namespace json = boost::json;

constexpr std::string_view single_schema_keywords[] = {
    "additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else", "items"};
constexpr std::string_view schema_array_keywords[] = {"allOf", "anyOf", "oneOf", "items"};
constexpr std::string_view schema_map_keywords[] = {"properties", "patternProperties", "definitions", "$defs",
                                                    "dependencies"};

bool is_schema(const json::value& v) { return v.is_object() || v.is_bool(); }

// Calls fn(child, child_pointer) for each subschema directly below `obj`.
template <class Object, class Fn>
void for_each_child(Object& obj, const std::string& pointer, Fn&& fn) {
  for (auto key : single_schema_keywords) {
    if (auto it = obj.find(key); it != obj.end() && is_schema(it->value())) {
      fn(it->value(), append_pointer(pointer, key));
    }
  }
  for (auto key : schema_array_keywords) {
    if (auto it = obj.find(key); it != obj.end() && it->value().is_array()) {
      auto& arr = it->value().get_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (is_schema(arr[i])) fn(arr[i], append_pointer(pointer, key) + "/" + std::to_string(i));
      }
    }
  }
  for (auto key : schema_map_keywords) {
    if (auto it = obj.find(key); it != obj.end() && it->value().is_object()) {
      std::string base = append_pointer(pointer, key);
      for (auto& member : it->value().get_object()) {
        if (is_schema(member.value())) fn(member.value(), append_pointer(base, member.key()));
      }
    }
  }
}

// Pointers inside a "$ref" are URI fragments: Valijson percent-decodes them.
std::string fragment_escape(std::string_view pointer) {
  std::string out;
  for (char c : pointer) {
    if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  return out;
}

std::string without_empty_fragment(std::string uri) {
  if (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri;
}

class bundler {
 public:
  explicit bundler(const document_loader& loader) : loader_(loader) {}

  json::value run(json::value root, const std::string& root_uri, std::string_view start_pointer) {
    add_document(std::move(root), without_empty_fragment(root_uri));
    // Targets of references that sit outside the schema keywords (say under "x-shared")
    // are walked last, once, with their document's base URI.
    while (!pending_.empty()) {
      auto [doc, pointer] = *pending_.begin();
      pending_.erase(pending_.begin());
      if (auto* node = docs_[doc]->find_pointer(pointer, ignored_)) rewrite(*node, uris_[doc], doc, pointer);
    }
    if (!docs_[0]->find_pointer(start_pointer, ignored_)) {
      throw usage_error(display_uri(uris_[0]) + ": no schema at pointer '" + std::string(start_pointer) + "'");
    }
    json::object bundle;
    bundle["$ref"] = "#/d0" + fragment_escape(start_pointer);
    for (std::size_t i = 0; i < docs_.size(); ++i) bundle["d" + std::to_string(i)] = std::move(*docs_[i]);
    return bundle;
  }

 private:
  std::size_t add_document(json::value doc, const std::string& uri) {
    std::size_t index = docs_.size();
    docs_.push_back(std::make_unique<json::value>(std::move(doc)));
    uris_.push_back(uri);
    ids_[uri] = {index, ""};
    collect_ids(*docs_[index], uri, index, "");
    rewrite(*docs_[index], uri, index, "");
    return index;
  }

  void collect_ids(const json::value& node, std::string base, std::size_t doc, const std::string& pointer) {
    const auto* obj = node.if_object();
    if (!obj) return;
    // In draft-07 a "$ref" makes its siblings, "$id" included, meaningless.
    if (!obj->contains("$ref")) {
      if (auto it = obj->find("$id"); it != obj->end() && it->value().is_string()) {
        std::string id = without_empty_fragment(resolve_uri(base, it->value().get_string()));
        ids_.emplace(id, std::make_pair(doc, pointer));
        if (split_fragment(id).second.empty()) base = id;
      }
    }
    for_each_child(*obj, pointer, [&](const json::value& child, const std::string& child_pointer) {
      collect_ids(child, base, doc, child_pointer);
    });
  }

  void rewrite(json::value& node, std::string base, std::size_t doc, const std::string& pointer) {
    auto* obj = node.if_object();
    if (!obj || !walked_.insert({doc, pointer}).second) return;
    if (auto it = obj->find("$id"); it != obj->end() && it->value().is_string() && !obj->contains("$ref")) {
      std::string id = resolve_uri(base, it->value().get_string());
      if (split_fragment(id).second.empty()) base = without_empty_fragment(id);
    }
    if (auto it = obj->find("$ref"); it != obj->end() && it->value().is_string()) {
      std::string ref(it->value().get_string());
      auto [target_doc, target_pointer] = resolve(base, ref, doc);
      it->value() = "#/d" + std::to_string(target_doc) + fragment_escape(target_pointer);
      if (!walked_.count({target_doc, target_pointer})) pending_.insert({target_doc, target_pointer});
    }
    if (auto it = obj->find("format"); it != obj->end() && it->value().is_string()) {
      json::value format = it->value();
      obj->erase(it);
      (*obj)[native_format_keyword] = std::move(format);
    }
    for_each_child(*obj, pointer, [&](json::value& child, const std::string& child_pointer) {
      rewrite(child, base, doc, child_pointer);
    });
  }

  std::pair<std::size_t, std::string> resolve(const std::string& base, const std::string& ref, std::size_t from) {
    std::string absolute = resolve_uri(base, ref);
    auto [document, fragment] = split_fragment(absolute);
    std::pair<std::size_t, std::string> target;
    if (!fragment.empty() && fragment[0] != '/') {
      auto it = ids_.find(absolute);
      if (it == ids_.end()) {
        throw usage_error(display_uri(uris_[from]) + ": $ref '" + ref + "': no subschema has \"$id\": \"#" + fragment + "\"");
      }
      target = it->second;
    } else {
      auto it = ids_.find(document);
      if (it != ids_.end()) {
        target = it->second;
      } else {
        target = {add_document(load(document, ref, from), document), ""};
      }
      target.second += percent_decode(fragment);
    }
    if (!docs_[target.first]->find_pointer(target.second, ignored_)) {
      throw usage_error(display_uri(uris_[from]) + ": $ref '" + ref + "': " + display_uri(uris_[target.first]) +
                        " has nothing at '" +
                        target.second + "'");
    }
    return target;
  }

  json::value load(const std::string& document, const std::string& ref, std::size_t from) {
    std::string context = display_uri(uris_[from]) + ": $ref '" + ref + "': ";
    try {
      return loader_(document);
    } catch (const file_error& e) {
      throw file_error(context + e.what());
    } catch (const usage_error& e) {
      throw usage_error(context + e.what());
    }
  }

  const document_loader& loader_;
  std::vector<std::unique_ptr<json::value>> docs_;
  std::vector<std::string> uris_;
  std::map<std::string, std::pair<std::size_t, std::string>> ids_;
  // Walked subschemas by (document, pointer): renaming "format" moves an object's members,
  // so addresses are not stable identities.
  std::set<std::pair<std::size_t, std::string>> walked_;
  std::set<std::pair<std::size_t, std::string>> pending_;
  boost::system::error_code ignored_;
};

void visit_subschemas(const json::value& node, const std::string& pointer,
                      const std::function<void(const json::object&, const std::string&)>& fn) {
  const auto* obj = node.if_object();
  if (!obj) return;
  fn(*obj, pointer);
  for_each_child(*obj, pointer, [&](const json::value& child, const std::string& child_pointer) {
    visit_subschemas(child, child_pointer, fn);
  });
}

}  // namespace

json::value bundle_schema(json::value root, const std::string& root_uri, const document_loader& loader,
                          std::string_view start_pointer) {
  return bundler(loader).run(std::move(root), root_uri, start_pointer);
}

void for_each_subschema(const json::value& schema,
                        const std::function<void(const json::object&, const std::string&)>& fn) {
  visit_subschemas(schema, "", fn);
}

}  // namespace drover::protocols
