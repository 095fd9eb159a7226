#pragma once
// Helpers for the DataKraken fake's tests: a blocking HTTP/1.1 client (keep-alive, raw bytes
// for pipelining) and the protocol's frames; a browser's socket is a test_client. On Beast
// directly, not harness/transport. One thread each; every call runs its own io_context until
// the answer or the timeout.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/json.hpp>

#include "fakes/datakraken/datakraken_server.hpp"
#include "test_client.hpp"

namespace drover::fakes::test {

namespace json = boost::json;
using namespace std::chrono_literals;

inline datakraken_config dk_config(std::vector<std::string> faults = {}) {
  datakraken_config config;
  config.listen.threads = 2;
  config.faults = std::move(faults);
  return config;
}

struct http_result {
  int status = 0;  // 0: no answer (error or timeout; see error)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error;
  std::string header(const std::string& name) const;  // "" when absent; case-insensitive
  int count(const std::string& name) const;           // how many headers have this name
  json::object json() const;                          // the body as an object (GTest failure if not)
};

using header_list = std::vector<std::pair<std::string, std::string>>;

// One TCP connection to the fake; requests go one after the other on it (keep-alive).
class http_client {
 public:
  explicit http_client(std::uint16_t port);
  ~http_client();
  http_result request(const std::string& method, const std::string& target, const header_list& headers = {},
                      std::chrono::milliseconds timeout = 5000ms, int version = 11);
  http_result get(const std::string& target, const header_list& headers = {}) { return request("GET", target, headers); }
  // Writes bytes as they are, then reads n answers (fewer when the server closes first).
  std::vector<http_result> raw(const std::string& bytes, int n, std::chrono::milliseconds timeout = 5000ms);
  // True when the server closes the connection (EOF or reset) within the timeout.
  bool closed_by_server(std::chrono::milliseconds timeout);
  // The connection, for an upgrade on it (the client is unusable afterwards).
  boost::beast::tcp_stream take_stream();
  boost::asio::io_context& io() { return ioc_; }

 private:
  http_result read_one(std::chrono::milliseconds timeout);

  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

// One GET /api/session, parsed.
struct ticket_answer {
  http_result http;
  std::string ticket, session, visitor;  // visitor: from Set-Cookie, "" when none
  std::int64_t ttl = -1;
  std::vector<std::string> listeners;
};
ticket_answer issue(std::uint16_t port, const std::string& query = "", const std::string& cookie = "");

// GET /api/session/{id} once; polling until the record is final (or 404 when that is what the
// caller waits for).
http_result record(std::uint16_t port, const std::string& id, const std::string& query = "");
http_result wait_final(std::uint16_t port, const std::string& id, std::chrono::milliseconds timeout = 5000ms);
http_result wait_status(std::uint16_t port, const std::string& id, int status, std::chrono::milliseconds timeout = 5000ms);
// events."0" and events."1" of a record (-1 when missing).
std::pair<std::int64_t, std::int64_t> counts(const json::object& record);

std::string start_frame();
std::string click_frame(std::int64_t x = 10, std::int64_t y = 20, const std::string& target = "#button");
std::string move_frame(std::int64_t x = 11, std::int64_t y = 21, std::int64_t ellapsed = 40);
std::string end_frame();

inline std::string ws_target(const std::string& ticket, const std::string& extra = "") {
  return "/ws?ticket=" + ticket + extra;
}

// A started session: ticket issued (with query), socket open, start sent.
struct dk_session {
  ticket_answer answer;
  std::unique_ptr<test_client> socket;  // a browser's socket
};
dk_session open_session(std::uint16_t port, const std::string& issue_query = "", const std::string& ws_extra = "");

// Upgrade request headers (for http_client: a refusal's status and body are readable).
header_list upgrade_headers();

}  // namespace drover::fakes::test
