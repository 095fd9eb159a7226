// The benchmark's target: a small Beast WebSocket server that answers every text message with a
// short ack ({"type":"ack"}, or --answer TEXT: the validating generator gets a message of the
// wearable protocol). One thread, so that pinned to one core (taskset) its CPU time is comparable across
// the generators that load it. Prints "listening on 127.0.0.1:PORT" once it accepts; stops on
// SIGTERM or SIGINT and then prints what it served ("served sessions=S messages=M").
//
//   bench_ack_server [--port P] [--answer TEXT]    (port 0, the default: a free port)
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

unsigned long long sessions = 0, messages = 0;
std::string ack = R"({"type":"ack"})";

// One session: read a message, write the ack, read the next (a client may pipeline: the next
// read starts only after the ack went out, so acks keep the order of the messages).
class session : public std::enable_shared_from_this<session> {
 public:
  explicit session(tcp::socket s) : ws_(std::move(s)) {}
  void start() {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept([self = shared_from_this()](error_code ec) {
      if (ec) return;
      ++sessions;
      self->read();
    });
  }

 private:
  void read() {
    ws_.async_read(buf_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return;  // closed or dropped: the session ends here
      self->buf_.consume(self->buf_.size());
      if (!self->ws_.got_text()) return self->read();  // only text is acknowledged
      ++messages;
      self->ws_.text(true);
      self->ws_.async_write(net::buffer(ack), [self](error_code ec, std::size_t) {
        if (!ec) self->read();
      });
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
};

void accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](error_code ec, tcp::socket s) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      s.set_option(tcp::no_delay(true), ec);
      std::make_shared<session>(std::move(s))->start();
    }
    // EMFILE and the like: keep accepting (the failure is the generator's to see as refused).
    accept(acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      port = static_cast<unsigned short>(std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--answer") == 0 && i + 1 < argc) {
      ack = argv[++i];
    } else {
      std::fprintf(stderr, "usage: bench_ack_server [--port P] [--answer TEXT]\n");
      return 2;
    }
  }
  net::io_context io(1);
  tcp::acceptor acceptor(io);
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
  acceptor.open(ep.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen(4096);  // churn at 1,000/s and 19,000 sessions ramping in: a deep backlog
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](error_code, int) { io.stop(); });
  accept(acceptor);
  std::printf("listening on 127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  io.run();
  std::printf("served sessions=%llu messages=%llu\n", sessions, messages);
  return 0;
}
