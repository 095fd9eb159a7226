#include "fakes/wearable/tokens.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "harness/common/error.hpp"

namespace drover::fakes::wearable {

namespace json = boost::json;

std::unique_ptr<token_store> token_store::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error("cannot read token file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return from_json(text.str(), path);
}

std::unique_ptr<token_store> token_store::from_json(std::string_view text, const std::string& origin) {
  auto fail = [&](const std::string& why) -> std::unique_ptr<token_store> {
    throw usage_error("token file '" + origin + "': " + why +
                      R"( (expected {"TOKEN": {"role":"producer"|"consumer","developer":D,"user":U}}))");
  };
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return fail("not JSON: " + ec.message());
  if (!root.is_object()) return fail("not a JSON object");
  auto store = std::make_unique<token_store>();
  store->self_describing_ = false;
  for (const auto& [key, entry] : root.as_object()) {
    std::string token(key);
    if (!entry.is_object()) return fail("entry '" + token + "' is not an object");
    const auto& o = entry.as_object();
    const json::value* r = o.if_contains("role");
    const json::value* dev = o.if_contains("developer");
    const json::value* user = o.if_contains("user");
    identity who;
    if (!r || !r->is_string() || (r->as_string() != "producer" && r->as_string() != "consumer")) {
      return fail("entry '" + token + "': role must be \"producer\" or \"consumer\"");
    }
    who.kind = r->as_string() == "producer" ? role::producer : role::consumer;
    if (!dev || !dev->is_string() || dev->as_string().empty()) {
      return fail("entry '" + token + "': developer must be a non-empty string");
    }
    who.developer = std::string(dev->as_string());
    if (who.kind == role::producer) {
      if (!user || !user->is_string() || user->as_string().empty()) {
        return fail("entry '" + token + "': a producer needs a non-empty user");
      }
      who.user = std::string(user->as_string());
    }
    store->table_.emplace(std::move(token), std::move(who));
  }
  return store;
}

namespace {

std::vector<std::string> split_colons(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) return parts;
    start = colon + 1;
  }
}

}  // namespace

std::optional<identity> token_store::lookup(const std::string& token) const {
  if (!self_describing_) {
    auto it = table_.find(token);
    if (it == table_.end()) return std::nullopt;
    return it->second;
  }
  auto parts = split_colons(token);
  for (const auto& p : parts) {
    if (p.empty()) return std::nullopt;
  }
  if (parts.size() == 3 && parts[0] == "dev") return identity{role::consumer, parts[1], ""};
  if (parts.size() == 4 && parts[0] == "user") return identity{role::producer, parts[1], parts[2]};
  return std::nullopt;
}

token_store::claim_result token_store::claim(const std::string& token, role expected, bool allow_reuse) {
  claim_result out;
  auto who = lookup(token);
  if (!who) return out;
  if (who->kind != expected) {
    out.result = outcome::wrong_role;
    return out;
  }
  std::lock_guard lock(mutex_);
  bool fresh = used_.insert(token).second;
  if (!fresh && !allow_reuse) {
    out.result = outcome::used;
    return out;
  }
  out.result = outcome::ok;
  out.who = std::move(*who);
  return out;
}

}  // namespace drover::fakes::wearable
