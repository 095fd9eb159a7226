// protocol::load: protocol.json -> protocol, with errors that name the file and the field.
#include <boost/json.hpp>

#include "harness/common/error.hpp"
#include "harness/protocols/protocol.hpp"
#include "harness/protocols/schema_files.hpp"

namespace drover::protocols {

namespace json = boost::json;

class protocol_loader {
 public:
  explicit protocol_loader(const std::filesystem::path& file) : file_(file) {}

  protocol load() {
    json::value doc = read_json_file(file_);
    if (!doc.is_object()) fail("the document must be a JSON object");
    protocol p;
    p.document_ = doc.get_object();
    p.directory_ = file_.parent_path();
    p.packet_arrays_ = p.document_.contains("packets");
    const json::object& root = p.document_;
    p.name_ = required_string(root, "name", "");
    p.title_ = optional_string(root, "title", "");
    p.discriminator_ = required_string(root, "discriminator", "");
    p.dialects_ = string_list(root, "dialects", "");
    if (p.dialects_.empty()) p.dialects_.push_back("documented");
    if (auto it = root.find("timing"); it != root.end()) {
      if (!it->value().is_object()) fail("\"timing\" must be an object");
      p.timing_ = it->value().get_object();
    }
    load_close_codes(p, root);
    load_messages(p, root);
    return p;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const { throw usage_error(file_.string() + ": " + problem); }

  std::string required_string(const json::object& obj, std::string_view key, const std::string& where) const {
    auto it = obj.find(key);
    if (it == obj.end() || !it->value().is_string() || it->value().get_string().empty()) {
      fail(where + "\"" + std::string(key) + "\" must be a non-empty string");
    }
    return std::string(it->value().get_string());
  }

  std::string optional_string(const json::object& obj, std::string_view key, const std::string& where) const {
    auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (!it->value().is_string()) fail(where + "\"" + std::string(key) + "\" must be a string");
    return std::string(it->value().get_string());
  }

  std::vector<std::string> string_list(const json::object& obj, std::string_view key, const std::string& where) const {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (!it->value().is_array()) fail(where + "\"" + std::string(key) + "\" must be an array of strings");
    for (const auto& v : it->value().get_array()) {
      if (!v.is_string()) fail(where + "\"" + std::string(key) + "\" must be an array of strings");
      out.emplace_back(v.get_string());
    }
    return out;
  }

  void load_close_codes(protocol& p, const json::object& root) const {
    auto it = root.find("close_codes");
    if (it == root.end()) return;
    if (!it->value().is_array()) fail("\"close_codes\" must be an array");
    std::size_t index = 0;
    for (const auto& v : it->value().get_array()) {
      std::string where = "close_codes[" + std::to_string(index++) + "]: ";
      if (!v.is_object()) fail(where + "must be an object");
      const auto& obj = v.get_object();
      auto code = obj.find("code");
      if (code == obj.end() || !code->value().is_int64() || code->value().get_int64() < 1000 ||
          code->value().get_int64() > 4999) {
        fail(where + "\"code\" must be an integer from 1000 to 4999");
      }
      p.close_codes_.push_back({static_cast<int>(code->value().get_int64()), optional_string(obj, "name", where),
                                optional_string(obj, "meaning", where), optional_string(obj, "sent_when", where)});
    }
  }

  void load_messages(protocol& p, const json::object& root) const {
    auto it = root.find("messages");
    if (it == root.end() || !it->value().is_array()) fail("\"messages\" must be an array");
    auto loader = file_loader(index_schema_ids(p.directory_));
    std::size_t index = 0;
    for (const auto& v : it->value().get_array()) {
      std::string where = "messages[" + std::to_string(index++) + "]";
      if (!v.is_object()) fail(where + ": must be an object");
      const auto& obj = v.get_object();
      message_entry m;
      m.name = required_string(obj, "name", where + ": ");
      where += " (" + m.name + "): ";
      auto dir = parse_direction(required_string(obj, "direction", where));
      if (!dir) fail(where + "\"direction\" must be \"client\" or \"server\"");
      m.dir = *dir;
      m.description = optional_string(obj, "description", where);
      m.dialects = string_list(obj, "dialects", where);
      for (const auto& d : m.dialects) {
        if (!p.has_dialect(d)) fail(where + "dialect \"" + d + "\" is not in the protocol's \"dialects\"");
      }
      if (auto t = obj.find("text"); t != obj.end()) {
        if (!t->value().is_string()) fail(where + "\"text\" must be a string");
        if (obj.contains("match")) fail(where + "has both \"text\" and \"match\"; a text frame is not JSON");
        m.text = std::string(t->value().get_string());
      }
      if (auto match = obj.find("match"); match != obj.end()) m.match = parse_match(match->value(), where);
      m.schema = optional_string(obj, "schema", where);
      if (!m.schema.empty()) m.validator = compile(p, m, loader, where);
      p.messages_.push_back(std::move(m));
    }
  }

  std::vector<match_condition> parse_match(const json::value& v, const std::string& where) const {
    if (!v.is_object()) fail(where + "\"match\" must be an object");
    std::vector<match_condition> out;
    for (const auto& [key, expected] : v.get_object()) {
      match_condition c;
      c.path = std::string(key);
      if (const auto* obj = expected.if_object(); obj && obj->contains("$exists")) {
        const auto& flag = obj->at("$exists");
        if (!flag.is_bool() || obj->size() != 1) fail(where + "match \"" + c.path + "\": use {\"$exists\": true|false}");
        c.kind = flag.get_bool() ? match_condition::test::exists : match_condition::test::absent;
      } else {
        c.value = expected;
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  const schema_validator* compile(protocol& p, const message_entry& m, const document_loader& loader,
                                  const std::string& where) const {
    if (auto found = p.validators_.find(m.schema); found != p.validators_.end()) return found->second.get();
    auto path = p.directory_ / m.schema;
    if (!std::filesystem::is_regular_file(path)) {
      throw file_error(file_.string() + ": " + where + "schema file " + path.string() + " does not exist");
    }
    try {
      auto v = std::make_unique<schema_validator>(schema_validator::from_file(path, m.name, loader));
      return p.validators_.emplace(m.schema, std::move(v)).first->second.get();
    } catch (const file_error& e) {
      throw file_error(file_.string() + ": " + where + e.what());
    } catch (const usage_error& e) {
      throw usage_error(file_.string() + ": " + where + e.what());
    }
  }

  std::filesystem::path file_;
};

protocol protocol::load(const std::filesystem::path& protocol_json) { return protocol_loader(protocol_json).load(); }

}  // namespace drover::protocols
