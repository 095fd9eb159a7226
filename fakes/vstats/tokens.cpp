#include "fakes/vstats/tokens.hpp"

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "harness/common/error.hpp"

namespace drover::fakes::vstats {

namespace json = boost::json;

std::unique_ptr<token_store> token_store::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error("cannot read token file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return from_json(text.str(), path);
}

std::unique_ptr<token_store> token_store::from_json(std::string_view text, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    throw usage_error("token file '" + origin + "': " + why +
                      R"( (expected {"TOKEN": {"server_id":ID,"name":NAME,"location":LOCATION}}))");
  };
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) fail("not JSON: " + ec.message());
  if (!root.is_object()) fail("not a JSON object");
  auto store = std::make_unique<token_store>();
  store->self_describing_ = false;
  for (const auto& [key, entry] : root.as_object()) {
    std::string token(key);
    if (token.empty()) fail("a token is the empty string");
    if (!entry.is_object()) fail("entry '" + token + "' is not an object");
    const auto& o = entry.as_object();
    const json::value* id = o.if_contains("server_id");
    const json::value* name = o.if_contains("name");
    const json::value* location = o.if_contains("location");
    if (!id || !id->is_string() || id->as_string().empty()) {
      fail("entry '" + token + "': server_id must be a non-empty string");
    }
    if (name && !name->is_string()) fail("entry '" + token + "': name must be a string");
    if (location && !location->is_string()) fail("entry '" + token + "': location must be a string");
    server_info info;
    info.id = std::string(id->as_string());
    info.name = name ? std::string(name->as_string()) : info.id;
    if (location) info.location = std::string(location->as_string());
    store->table_.emplace(std::move(token), std::move(info));
  }
  return store;
}

std::optional<server_info> token_store::lookup(std::string_view token) const {
  if (!self_describing_) {
    auto it = table_.find(std::string(token));
    if (it == table_.end()) return std::nullopt;
    return it->second;
  }
  constexpr std::string_view prefix = "agent:";
  if (token.size() <= prefix.size() || token.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string id(token.substr(prefix.size()));
  return server_info{id, id, ""};
}

}  // namespace drover::fakes::vstats
