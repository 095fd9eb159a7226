// Beast HTTP over tcp_stream and ssl_stream<tcp_stream>. Both instantiations live here: the
// HTTP parser and read operations are the costly templates, compiled once for the two layers.
#include "harness/transport/http_stream.hpp"

#include <optional>
#include <type_traits>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "harness/transport/source_connect.hpp"
#include "harness/transport/tls_client.hpp"

namespace drover::transport::detail {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using error_code = boost::system::error_code;
using tls_layer = beast::ssl_stream<beast::tcp_stream>;

template <class F>
void tls_handshake(tls_layer& stream, const std::string& host, F&& done) {
  prepare_tls_client(stream.native_handle(), host);
  stream.async_handshake(net::ssl::stream_base::client, [&stream, done = std::forward<F>(done)](error_code ec) mutable {
    done(ec, ec ? tls_verify_failure(stream.native_handle()) : std::string());
  });
}

template <class Stream>
class beast_http_stream final : public http_stream {
 public:
  static constexpr bool secure = std::is_same_v<Stream, tls_layer>;

  template <class... Args>
  explicit beast_http_stream(net::io_context& io, Args&... args) : resolver_(io), stream_(io, args...) {}

  void async_connect(const ws_url& url, std::optional<net::ip::address> source,
                     std::function<void(error_code, http_stage, std::string, clock::time_point)> done) override {
    host_ = url.host;
    resolver_.async_resolve(url.host, url.port,
                            [this, source, done = std::move(done)](error_code ec, auto results) mutable {
      if (ec) return done(ec, http_stage::resolve, {}, {});
      auto connected = [this, done = std::move(done)](error_code ec, std::string detail) mutable {
        if (ec) return done(ec, http_stage::tcp, std::move(detail), {});
        auto tcp_done = clock::now();
        error_code ignored;
        beast::get_lowest_layer(stream_).socket().set_option(net::ip::tcp::no_delay(true), ignored);
        if constexpr (secure) {
          tls_handshake(stream_, host_, [done = std::move(done), tcp_done](error_code ec, std::string detail) {
            done(ec, http_stage::tls, std::move(detail), tcp_done);
          });
        } else {
          done({}, http_stage::tcp, {}, tcp_done);
        }
      };
      if (source) return async_connect_from(beast::get_lowest_layer(stream_), results, *source, std::move(connected));
      beast::get_lowest_layer(stream_).async_connect(
          results, [connected = std::move(connected)](error_code ec, const net::ip::tcp::endpoint&) mutable {
            connected(ec, std::string());
          });
    });
  }

  void async_write(const std::string& text, std::function<void(error_code)> done) override {
    net::async_write(stream_, net::buffer(text), [done = std::move(done)](error_code ec, std::size_t) { done(ec); });
  }

  void async_read_head(std::size_t max_body, bool no_body, std::function<void(error_code, http_head)> done) override {
    parser_.emplace();
    parser_->header_limit(64 * 1024);
    parser_->body_limit(max_body);
    parser_->skip(no_body);
    http::async_read_header(stream_, buffer_, *parser_, [this, done = std::move(done)](error_code ec, std::size_t) {
      http_head head;
      if (ec) return done(ec, std::move(head));
      const auto& res = parser_->get();
      head.status = static_cast<int>(res.result_int());
      head.reason = std::string(res.reason());
      for (const auto& field : res) head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      head.keep_alive = res.keep_alive();
      done({}, std::move(head));
    });
  }

  void async_read_body(std::function<void(error_code, std::string)> done) override {
    if (parser_->is_done()) {  // no body, or it came with the header: still complete asynchronously
      net::post(resolver_.get_executor(), [this, done = std::move(done)] { done({}, std::move(parser_->get().body())); });
      return;
    }
    http::async_read(stream_, buffer_, *parser_, [this, done = std::move(done)](error_code ec, std::size_t) {
      if (ec) return done(ec, {});
      done({}, std::move(parser_->get().body()));
    });
  }

  void close_now() override {
    resolver_.cancel();
    beast::get_lowest_layer(stream_).close();
  }

 private:
  net::ip::tcp::resolver resolver_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::string host_;
};

}  // namespace

std::unique_ptr<http_stream> make_http_stream(boost::asio::io_context& io, boost::asio::ssl::context* tls) {
  if (tls) return std::make_unique<beast_http_stream<tls_layer>>(io, *tls);
  return std::make_unique<beast_http_stream<beast::tcp_stream>>(io);
}

}  // namespace drover::transport::detail
