#include "harness/protocols/secrets.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "harness/common/error.hpp"

namespace drover::protocols {
namespace {

namespace json = boost::json;

// Values shorter than this are masked only where their context shows them (a short value
// replaced everywhere would garble unrelated text).
constexpr std::size_t min_learned_length = 6;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct found_span {
  std::size_t begin, end;  // the value, in the original text
  bool json_string;        // the raw inside of a JSON string (may hold escapes)
};

// "name" : "value" (also \"name\" : \"value\" inside JSON text that was itself encoded).
void find_json_fields(std::string_view text, const std::string& low, const std::string& name,
                      std::vector<found_span>& out) {
  for (std::string_view quote : {std::string_view("\""), std::string_view("\\\"")}) {
    std::string key = std::string(quote) + name + std::string(quote);
    for (std::size_t at = low.find(key); at != std::string::npos; at = low.find(key, at + 1)) {
      std::size_t i = at + key.size();
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i >= text.size() || text[i] != ':') continue;
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (text.substr(i, quote.size()) != quote) continue;  // null, a number: nothing secret to show
      std::size_t begin = i + quote.size(), end = begin;
      while (end < text.size()) {
        if (quote.size() == 1 && text[end] == '\\') {
          end += 2;
          continue;
        }
        if (text.substr(end, quote.size()) == quote) break;
        ++end;
      }
      end = std::min(end, text.size());  // a frame cut short: the value runs to the end
      if (end > begin) out.push_back({begin, end, quote.size() == 1});
    }
  }
}

bool is_query_end(char c) { return std::string_view("&#\"' \t\r\n<>\\`").find(c) != std::string_view::npos; }

// ?name=value or &name=value
void find_query_params(std::string_view text, const std::string& low, const std::string& name,
                       std::vector<found_span>& out) {
  std::string key = name + "=";
  for (std::size_t at = low.find(key); at != std::string::npos; at = low.find(key, at + 1)) {
    if (at == 0 || (text[at - 1] != '?' && text[at - 1] != '&' && text[at - 1] != ';')) continue;
    std::size_t begin = at + key.size(), end = begin;
    while (end < text.size() && !is_query_end(text[end])) ++end;
    if (end > begin) out.push_back({begin, end, false});
  }
}

// Name: value (to the end of the line or a quote)
void find_headers(std::string_view text, const std::string& low, const std::string& name,
                  std::vector<found_span>& out) {
  std::string key = name + ":";
  for (std::size_t at = low.find(key); at != std::string::npos; at = low.find(key, at + 1)) {
    if (at > 0 && std::string_view(" \t\r\n\"'{,;([").find(text[at - 1]) == std::string_view::npos) continue;
    std::size_t begin = at + key.size();
    while (begin < text.size() && text[begin] == ' ') ++begin;
    std::size_t end = begin;
    while (end < text.size() && text[end] != '\r' && text[end] != '\n' && text[end] != '"') ++end;
    if (end > begin) out.push_back({begin, end, false});
  }
}

// The value a JSON string's raw inside stands for ("a\/b" -> "a/b"); the raw text if it is cut short.
std::string decoded(std::string_view raw, bool json_string) {
  if (!json_string || raw.find('\\') == std::string_view::npos) return std::string(raw);
  try {
    json::value v = json::parse("\"" + std::string(raw) + "\"");
    return std::string(v.get_string());
  } catch (const std::exception&) {
    return std::string(raw);
  }
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::vector<std::string> pointer_list(const json::value& v, const std::string& where) {
  if (!v.is_array()) throw usage_error(where + " must be an array of JSON pointers");
  std::vector<std::string> out;
  for (const auto& p : v.get_array()) {
    if (!p.is_string() || p.get_string().empty() || p.get_string()[0] != '/')
      throw usage_error(where + ": " + json::serialize(p) + " is not a JSON pointer (\"/d/token\")");
    out.emplace_back(p.get_string());
  }
  return out;
}

// The names of the entries of protocol_json[list] (messages, http).
std::set<std::string> entry_names(const json::object& protocol_json, const char* list) {
  std::set<std::string> names;
  if (auto it = protocol_json.find(list); it != protocol_json.end() && it->value().is_array()) {
    for (const auto& e : it->value().get_array()) {
      if (e.is_object())
        if (auto n = e.get_object().find("name"); n != e.get_object().end() && n->value().is_string())
          names.insert(std::string(n->value().get_string()));
    }
  }
  return names;
}

// The field name a pointer ends in, unescaped (~1 -> /, ~0 -> ~).
std::string last_segment(const std::string& pointer) {
  std::string seg = pointer.substr(pointer.rfind('/') + 1);
  replace_all(seg, "~1", "/");
  replace_all(seg, "~0", "~");
  return seg;
}

}  // namespace

secret_rules default_secret_rules() {
  secret_rules r;
  r.query = {"token", "ticket", "apikey", "key"};
  r.headers = {"authorization", "cookie", "set-cookie"};
  return r;
}

void add_protocol_secrets(secret_rules& rules, const json::object& protocol_json, const std::string& where) {
  auto it = protocol_json.find("secrets");
  if (it == protocol_json.end()) return;
  if (!it->value().is_object()) throw usage_error(where + ": \"secrets\" must be an object");
  for (const auto& [key, value] : it->value().get_object()) {
    std::string at = where + ": secrets." + std::string(key);
    if (key == "query") {
      if (!value.is_array()) throw usage_error(at + " must be an array of parameter names");
      for (const auto& q : value.get_array()) {
        if (!q.is_string()) throw usage_error(at + " must be an array of parameter names");
        rules.query.insert(lower(q.get_string()));
      }
    } else if (key == "messages" || key == "http") {
      if (!value.is_object()) throw usage_error(at + " must map " + (key == "http" ? "an HTTP call" : "a message") +
                                                " name to JSON pointers");
      std::set<std::string> names = entry_names(protocol_json, key == "http" ? "http" : "messages");
      for (const auto& [name, pointers] : value.get_object()) {
        if (!names.count(std::string(name)))
          throw usage_error(at + ": no " + std::string(key) + " entry is named \"" + std::string(name) + "\"");
        for (const auto& p : pointer_list(pointers, at + "." + std::string(name)))
          rules.fields.insert(lower(last_segment(p)));
      }
    } else {
      throw usage_error(at + ": unknown key (expected messages, http, query)");
    }
  }
}

secret_rules load_secret_rules(const std::filesystem::path& schemas_root) {
  namespace fs = std::filesystem;
  secret_rules rules = default_secret_rules();
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& dir : fs::directory_iterator(schemas_root, ec)) {
    if (fs::exists(dir.path() / "protocol.json")) files.push_back(dir.path() / "protocol.json");
  }
  if (ec) throw file_error("cannot list " + schemas_root.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    json::value doc;
    try {
      doc = json::parse(text.str());
    } catch (const std::exception& e) {
      throw file_error(file.string() + " is not JSON: " + e.what());
    }
    if (doc.is_object()) add_protocol_secrets(rules, doc.get_object(), file.string());
  }
  return rules;
}

std::string mask_secret(std::string_view value) {
  std::size_t word = 0;
  while (word < value.size() && word <= 8 && std::isalpha(static_cast<unsigned char>(value[word]))) ++word;
  std::string out;
  if (word > 0 && word <= 8 && word + 1 < value.size() && value[word] == ' ') {
    out = std::string(value.substr(0, word + 1));  // the scheme: "Bearer "
  } else if (word > 0 && word <= 8 && word + 1 < value.size() && value[word] == ':') {
    out = std::string(value.substr(0, word)) + ":…:";  // the kind: "user:…:"
  }
  std::uint32_t hash = 2166136261u;  // FNV-1a: a stable tag, 16 bits of it
  for (unsigned char c : value) hash = (hash ^ c) * 16777619u;
  char tag[8];
  std::snprintf(tag, sizeof tag, "%04x", static_cast<unsigned>(hash & 0xffffu));
  return out + "••••#" + tag;
}

std::string redactor::redact_text(std::string_view text, std::set<std::string>* found) const {
  const std::string low = lower(text);
  std::vector<found_span> spans;
  for (const auto& f : rules_.fields) find_json_fields(text, low, f, spans);
  for (const auto& h : rules_.headers) find_json_fields(text, low, h, spans);
  for (const auto& q : rules_.query) find_query_params(text, low, q, spans);
  for (const auto& h : rules_.headers) find_headers(text, low, h, spans);
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t at = 0;
  for (const auto& s : spans) {
    if (s.begin < at) continue;  // inside a span already masked
    std::string value = decoded(text.substr(s.begin, s.end - s.begin), s.json_string);
    out.append(text.substr(at, s.begin - at));
    out += mask_secret(value);
    if (found) {
      found->insert(value);
      found->insert(std::string(text.substr(s.begin, s.end - s.begin)));
    }
    at = s.end;
  }
  out.append(text.substr(at));
  return out;
}

namespace {

bool is_masked(std::string_view value) { return value == "***" || value.find("••••#") != std::string_view::npos; }

void mask_by_context(const redactor& r, json::value& v, std::set<std::string>& found) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    std::string masked = r.redact_text(s, &found);
    if (masked != s) v = json::string(masked);
  } else if (v.is_array()) {
    for (auto& e : v.get_array()) mask_by_context(r, e, found);
  } else if (v.is_object()) {
    for (auto& [key, member] : v.get_object()) {
      std::string name = lower(key);
      if (member.is_string() && (r.rules().fields.count(name) || r.rules().headers.count(name))) {
        std::string value(member.get_string());
        if (is_masked(value)) continue;  // run.env's "***" (an --env TOKEN=...) stays as it is
        found.insert(value);
        member = json::string(mask_secret(value));
      } else {
        mask_by_context(r, member, found);
      }
    }
  }
}

void mask_values(json::value& v, const std::vector<std::pair<std::string, std::string>>& values) {
  if (v.is_string()) {
    std::string s(v.get_string());
    bool changed = false;
    for (const auto& [value, mask] : values) {
      if (s.find(value) == std::string::npos) continue;
      replace_all(s, value, mask);
      changed = true;
    }
    if (changed) v = json::string(s);
  } else if (v.is_array()) {
    for (auto& e : v.get_array()) mask_values(e, values);
  } else if (v.is_object()) {
    for (auto& [key, member] : v.get_object()) mask_values(member, values);
  }
}

}  // namespace

void redactor::redact_document(json::value& doc, const std::set<std::string>& also) const {
  std::set<std::string> found = also;
  mask_by_context(*this, doc, found);
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& v : found) {
    if (v.size() >= min_learned_length && v.find("••••#") == std::string::npos) values.emplace_back(v, mask_secret(v));
  }
  // Longest first, so a token is masked whole before a shorter secret inside it is.
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  if (!values.empty()) mask_values(doc, values);
}

}  // namespace drover::protocols

namespace drover::protocols {

namespace {
std::atomic<const redactor*> log_redactor{nullptr};
}

void set_log_redactor(const redactor* r) { log_redactor.store(r, std::memory_order_release); }

std::string redact_log(std::string_view text) {
  const redactor* r = log_redactor.load(std::memory_order_acquire);
  return r ? r->redact_text(text) : std::string(text);
}

}  // namespace drover::protocols
