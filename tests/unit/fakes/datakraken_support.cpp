#include "datakraken_support.hpp"

#include <thread>

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/error.hpp>

namespace drover::fakes::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

bool iequal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Runs ioc until done or the deadline; then cancels what is left and drains it.
void run_until(asio::io_context& ioc, const bool& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  ioc.restart();
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (ioc.run_one_until(deadline) == 0 && ioc.stopped()) break;
  }
}

}  // namespace

std::string http_result::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (iequal(k, name)) return v;
  return {};
}

int http_result::count(const std::string& name) const {
  int n = 0;
  for (const auto& [k, v] : headers) n += iequal(k, name);
  return n;
}

json::object http_result::json() const {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object (HTTP " << status << "): " << body.substr(0, 300);
    return {};
  }
  return v.as_object();
}

http_client::http_client(std::uint16_t port) : stream_(ioc_) {
  stream_.socket().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

http_client::~http_client() {
  beast::error_code ignored;
  stream_.socket().close(ignored);
  ioc_.restart();
  ioc_.poll();
}

http_result http_client::read_one(std::chrono::milliseconds timeout) {
  http_result out;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  bool done = false;
  beast::error_code ec;
  stream_.expires_after(timeout);
  http::async_read(stream_, buffer_, parser, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  run_until(ioc_, done, timeout + 1000ms);
  if (!done) {
    out.error = "no answer (test deadline)";
    stream_.socket().close(ec);
    run_until(ioc_, done, 1000ms);
    return out;
  }
  if (ec) {
    out.error = ec.message();
    return out;
  }
  auto& res = parser.get();
  out.status = res.result_int();
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = res.body();
  return out;
}

http_result http_client::request(const std::string& method, const std::string& target, const header_list& headers,
                                 std::chrono::milliseconds timeout, int version) {
  http::request<http::string_body> req;
  http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) req.method_string(method);
  else req.method(verb);
  req.target(target);
  req.version(version);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.insert(k, v);
  req.prepare_payload();
  bool done = false;
  beast::error_code ec;
  stream_.expires_after(timeout);
  http::async_write(stream_, req, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  run_until(ioc_, done, timeout + 1000ms);
  if (!done || ec) {
    http_result out;
    out.error = done ? "write: " + ec.message() : "write: test deadline";
    return out;
  }
  return read_one(timeout);
}

std::vector<http_result> http_client::raw(const std::string& bytes, int n, std::chrono::milliseconds timeout) {
  std::vector<http_result> out;
  beast::error_code ec;
  asio::write(stream_.socket(), asio::buffer(bytes), ec);
  if (ec) return out;
  for (int i = 0; i < n; ++i) {
    http_result r = read_one(timeout);
    if (r.status == 0) break;
    out.push_back(std::move(r));
  }
  return out;
}

bool http_client::closed_by_server(std::chrono::milliseconds timeout) {
  bool closed = false;
  bool done = false;
  char sink[4096];
  std::function<void()> read_more = [&] {
    stream_.socket().async_read_some(asio::buffer(sink), [&](beast::error_code e, std::size_t) {
      if (e) {
        closed = e != asio::error::operation_aborted;
        done = true;
        return;
      }
      read_more();
    });
  };
  read_more();
  run_until(ioc_, done, timeout);
  if (!done) {
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
    run_until(ioc_, done, 1000ms);
  }
  return closed;
}

beast::tcp_stream http_client::take_stream() { return std::move(stream_); }

ticket_answer issue(std::uint16_t port, const std::string& query, const std::string& cookie) {
  ticket_answer out;
  http_client client(port);
  header_list headers;
  if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
  out.http = client.get("/api/session" + query, headers);
  if (out.http.status != 200) {
    ADD_FAILURE() << "GET /api/session" << query << ": HTTP " << out.http.status << " " << out.http.error << " "
                  << out.http.body;
    return out;
  }
  json::object o = out.http.json();
  if (auto* v = o.if_contains("ticket"); v && v->is_string()) out.ticket = std::string(v->get_string());
  if (auto* v = o.if_contains("session"); v && v->is_string()) out.session = std::string(v->get_string());
  if (auto* v = o.if_contains("ttl"); v && v->is_int64()) out.ttl = v->get_int64();
  if (auto* v = o.if_contains("listeners"); v && v->is_array())
    for (const auto& n : v->get_array())
      if (n.is_string()) out.listeners.emplace_back(n.get_string());
  std::string set_cookie = out.http.header("Set-Cookie");
  const std::string prefix = "dk_visitor=";
  if (set_cookie.rfind(prefix, 0) == 0) out.visitor = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
  return out;
}

http_result record(std::uint16_t port, const std::string& id, const std::string& query) {
  http_client client(port);
  return client.get("/api/session/" + id + query);
}

http_result wait_final(std::uint16_t port, const std::string& id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  http_result last;
  for (;;) {
    last = record(port, id);
    if (last.status == 200) {
      json::object o = last.json();
      if (auto* f = o.if_contains("final"); f && f->is_bool() && f->get_bool()) return last;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ADD_FAILURE() << "record " << id << " not final within " << timeout.count() << " ms: HTTP " << last.status << " "
                    << last.body;
      return last;
    }
    std::this_thread::sleep_for(10ms);
  }
}

http_result wait_status(std::uint16_t port, const std::string& id, int status, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  http_result last;
  for (;;) {
    last = record(port, id);
    if (last.status == status || std::chrono::steady_clock::now() >= deadline) return last;
    std::this_thread::sleep_for(10ms);
  }
}

std::pair<std::int64_t, std::int64_t> counts(const json::object& record) {
  std::pair<std::int64_t, std::int64_t> out{-1, -1};
  auto* events = record.if_contains("events");
  if (!events || !events->is_object()) return out;
  if (auto* v = events->get_object().if_contains("0"); v && v->is_number()) out.first = v->to_number<std::int64_t>();
  if (auto* v = events->get_object().if_contains("1"); v && v->is_number()) out.second = v->to_number<std::int64_t>();
  return out;
}

std::string start_frame() {
  return R"({"type":"start","meta":{"device":{"os":"Macintosh","browser":"Chrome"},"referrer":"https://www.google.com"}})";
}

std::string click_frame(std::int64_t x, std::int64_t y, const std::string& target) {
  return json::serialize(json::object{{"type", 0},
                                      {"timestamp", 1527000271180},
                                      {"event", json::object{{"X", x}, {"Y", y}, {"target", target}}}});
}

std::string move_frame(std::int64_t x, std::int64_t y, std::int64_t ellapsed) {
  return json::serialize(json::object{{"type", 1},
                                      {"timestamp", 1527000271420},
                                      {"event", json::object{{"X", x}, {"Y", y}, {"ellapsed", ellapsed}}}});
}

std::string end_frame() { return R"({"type":"end","timestamp":1527000399000})"; }

dk_session open_session(std::uint16_t port, const std::string& issue_query, const std::string& ws_extra) {
  dk_session out;
  out.answer = issue(port, issue_query);
  out.socket = std::make_unique<test_client>(port, ws_target(out.answer.ticket, ws_extra));
  EXPECT_TRUE(out.socket->handshake_ok()) << "upgrade answered " << out.socket->http_status();
  out.socket->send(start_frame());
  return out;
}

header_list upgrade_headers() {
  return {{"Upgrade", "websocket"},
          {"Connection", "Upgrade"},
          {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
          {"Sec-WebSocket-Version", "13"}};
}

}  // namespace drover::fakes::test
