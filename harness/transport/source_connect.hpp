#pragma once
// Internal: TCP connect from a chosen local address (--source-ips), for ws:// and http:// alike.
// Asio's range connect closes and reopens the socket for every endpoint, which would drop a
// bind made beforehand; this loop opens, binds and connects each endpoint itself.
//
// IP_BIND_ADDRESS_NO_PORT: a plain bind(addr, 0) picks the ephemeral port at bind time, unique
// per local address whatever the destination; with the option the kernel picks it at connect
// time from the full 4-tuple, as an unbound connect does, so binding costs no port range.
#include <netinet/in.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24  // Linux >= 4.2; older C libraries lack the name
#endif

namespace drover::transport::detail {

// done(ec, detail): detail names the source address on failure ("from 127.0.0.2", or why the
// address could not be bound).
template <class Results, class Done>
void async_connect_from(boost::beast::tcp_stream& stream, const Results& results, const boost::asio::ip::address& source,
                        Done done) {
  namespace net = boost::asio;
  struct op {
    boost::beast::tcp_stream& stream;
    std::vector<net::ip::tcp::endpoint> endpoints;
    net::ip::address source;
    Done done;
    std::size_t next = 0;
    boost::system::error_code last = net::error::address_family_not_supported;

    static void step(std::shared_ptr<op> self) {
      auto& sock = self->stream.socket();
      if (self->next == self->endpoints.size()) {
        std::string why = self->last == net::error::address_family_not_supported
                              ? "no address of the target has the family of the source address " +
                                    self->source.to_string()
                              : "from " + self->source.to_string();
        return self->done(self->last, std::move(why));
      }
      const auto& ep = self->endpoints[self->next++];
      boost::system::error_code ec;
      sock.close(ec);
      sock.open(ep.protocol(), ec);
      if (!ec) {
        int one = 1;  // best effort: without it (kernel < 4.2) the bind still works, using a port early
        ::setsockopt(sock.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sock.bind(net::ip::tcp::endpoint(self->source, 0), ec);
      }
      if (ec) {
        // Every remaining endpoint has this family too: the source address itself is unusable.
        return self->done(ec, "cannot bind the source address " + self->source.to_string() + ": " + ec.message());
      }
      self->stream.async_connect(ep, [self](boost::system::error_code ec) {
        if (!ec) return self->done(ec, std::string());
        self->last = ec;
        // Closed by the owner meanwhile (timeout, abort): stop, as Asio's range connect does.
        if (!self->stream.socket().is_open() || ec == net::error::operation_aborted)
          return self->done(net::error::operation_aborted, std::string());
        step(self);
      });
    }
  };
  auto o = std::make_shared<op>(op{stream, {}, source, std::move(done)});
  for (const auto& entry : results)
    if (entry.endpoint().address().is_v4() == source.is_v4()) o->endpoints.push_back(entry.endpoint());
  op::step(std::move(o));
}

}  // namespace drover::transport::detail
