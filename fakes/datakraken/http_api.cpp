#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "fakes/datakraken/session.hpp"
#include "harness/common/error.hpp"

namespace drover::fakes::datakraken {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::string_view cookie_name = "dk_visitor";
constexpr std::string_view session_path = "/api/session";

http_response text(http::status status, std::string body) {
  http_response r{status, 11};
  r.set(http::field::content_type, "text/plain; charset=utf-8");
  r.set(http::field::cache_control, "no-store");
  r.body() = std::move(body);
  return r;
}

http_response json_answer(std::string body) {
  http_response r{http::status::ok, 11};
  r.set(http::field::content_type, "application/json");
  r.set(http::field::cache_control, "no-store");
  r.body() = std::move(body);
  return r;
}

bool valid_visitor(std::string_view v) {
  if (v.empty() || v.size() > 64) return false;
  for (char c : v) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The dk_visitor value of the request's Cookie headers; empty when absent or malformed (a
// malformed value is replaced like an absent one).
std::string visitor_of(const upgrade_request& request) {
  for (const auto& field : request) {
    if (field.name() != http::field::cookie) continue;
    std::string_view header = field.value();
    while (!header.empty()) {
      std::size_t semi = header.find(';');
      std::string_view pair = header.substr(0, semi);
      header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != cookie_name) continue;
      std::string_view value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return valid_visitor(value) ? std::string(value) : std::string();
    }
  }
  return {};
}


http_response issue_ticket(const upgrade_request& request, shared_state& shared, const fault_flags& faults) {
  listener_mask listeners = shared.listeners;
  std::string asked = query_values(request.target(), "listeners");
  if (!asked.empty()) listeners = parse_listeners(asked);
  std::string visitor = visitor_of(request);
  bool set_cookie = !faults.no_cookie && (visitor.empty() || faults.cookie_not_kept);
  if (visitor.empty() || faults.cookie_not_kept) visitor = shared.records.random_hex(24);
  issued_ticket issued = shared.records.issue(visitor, listeners, faults);
  json::array names;
  for (auto& n : listener_names(listeners)) names.emplace_back(n);
  json::object body{{"ticket", issued.ticket},
                    {"ttl", shared.config.ticket_ttl.count() / 1000 * (faults.ttl_wrong ? 2 : 1)},
                    {"session", issued.session},
                    {"listeners", std::move(names)},
                    {"ws", "/ws"}};
  http_response r = json_answer(json::serialize(body));
  if (set_cookie) {
    r.set(http::field::set_cookie,
          std::string(cookie_name) + "=" + visitor + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
  }
  return r;
}

http_response not_allowed(const upgrade_request& request) {
  http_response r = text(http::status::method_not_allowed,
                         std::string(request.method_string()) + " " + std::string(request.target().substr(0, 200)) +
                             ": only GET is allowed here\n");
  r.set(http::field::allow, "GET");
  // A HEAD answer has no body: its Content-Length would announce one the client never reads.
  if (request.method() == http::verb::head) r.body().clear();
  return r;
}

}  // namespace

http_response answer_http(const upgrade_request& request, shared_state& shared) {
  std::string_view target = request.target();
  std::string_view path = target.substr(0, target.find('?'));
  fault_flags faults = shared.run_faults;
  try {
    std::string asked = query_values(target, "fault");
    if (!asked.empty()) faults |= resolve_flags(parse_fault_list(datakraken_faults(), "datakraken", asked));
    if (path == session_path) {
      if (request.method() != http::verb::get) return not_allowed(request);
      return issue_ticket(request, shared, faults);
    }
  } catch (const usage_error& e) {
    return text(http::status::bad_request, std::string(e.what()) + "\n");
  }
  if (path.size() > session_path.size() + 1 && path.substr(0, session_path.size() + 1) == "/api/session/" &&
      path.find('/', session_path.size() + 1) == std::string_view::npos) {
    if (request.method() != http::verb::get) return not_allowed(request);
    auto record = shared.records.describe(path.substr(session_path.size() + 1), faults.unknown_session_found);
    if (!record) return text(http::status::not_found, "unknown session (never issued, or forgotten)\n");
    return json_answer(std::move(*record));
  }
  if (path == "/ws") {
    http_response r = text(http::status::upgrade_required, "/ws is the WebSocket endpoint: send an Upgrade request\n");
    r.set(http::field::upgrade, "websocket");
    return r;
  }
  return text(http::status::not_found,
              "DataKraken endpoints: GET /api/session, GET /api/session/{id}, WebSocket /ws?ticket=T\n");
}

}  // namespace drover::fakes::datakraken
