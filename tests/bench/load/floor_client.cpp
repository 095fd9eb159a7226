// The benchmark's floor: the least a WebSocket load generator can do on this machine, a raw
// Beast client on one thread with C++20 coroutines, no scripting, no metrics beyond counts.
// drover and Artillery are measured against what this costs for the same workload.
//
//   bench_floor_client URL closed   --connections N --duration S
//       N sessions, each sending a message and waiting for its ack, in a closed loop
//   bench_floor_client URL interval --sessions N --every T --duration S [--ramp R]
//       N sessions opened evenly over R seconds, each sending one message every T seconds
//   bench_floor_client URL churn    --rate R --messages K --duration S
//       R new sessions per second, each sending K messages (waiting for each ack), then closing
//
// Prints one line at the end: "messages=M sessions=S errors=E" (acks received, sessions that
// completed the upgrade, sessions that failed). Every loop ends at the duration; sessions still
// running then get 5 s to close, then the process stops.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using net::awaitable;
using net::use_awaitable;

namespace {

struct settings {
  std::string host = "127.0.0.1", port, path = "/";
  std::string mode;
  long count = 0;        // connections / sessions
  double every_s = 5;    // interval: seconds between a session's messages
  double ramp_s = 0;     // interval: seconds over which sessions open
  double rate = 0;       // churn: new sessions per second
  long messages = 3;     // churn: messages per session
  double duration_s = 10;
};

settings cfg;
clock_type::time_point deadline;
unsigned long long acks = 0, opened = 0, errors = 0;
long running = 0;
const std::string payload = R"({"type":"msg","n":1})";

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "bench_floor_client: %s\nusage: bench_floor_client ws://HOST:PORT/PATH closed|interval|churn "
                       "[--connections N|--sessions N] [--every T] [--ramp R] [--rate R] [--messages K] "
                       "--duration S\n", why);
  std::exit(2);
}

clock_type::duration seconds(double s) {
  return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
}

awaitable<void> sleep_until(clock_type::time_point t) {
  net::steady_timer timer(co_await net::this_coro::executor, t);
  co_await timer.async_wait(use_awaitable);
}

// One session. kind: 0 closed loop, 1 one message every cfg.every_s, 2 churn (cfg.messages, then close).
awaitable<void> session(int kind, clock_type::time_point start_at) {
  ++running;
  try {
    if (start_at > clock_type::now()) co_await sleep_until(start_at);
    auto ex = co_await net::this_coro::executor;
    tcp::resolver resolver(ex);
    auto results = co_await resolver.async_resolve(cfg.host, cfg.port, use_awaitable);
    websocket::stream<beast::tcp_stream> ws(ex);
    co_await beast::get_lowest_layer(ws).async_connect(results, use_awaitable);
    beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true));
    co_await ws.async_handshake(cfg.host + ":" + cfg.port, cfg.path, use_awaitable);
    ++opened;
    ws.text(true);
    beast::flat_buffer buf;
    auto next = clock_type::now();
    for (long sent = 0; clock_type::now() < deadline; ++sent) {
      if (kind == 2 && sent == cfg.messages) break;
      if (kind == 1) {
        if (next >= deadline) break;
        co_await sleep_until(next);
        next += seconds(cfg.every_s);
      }
      co_await ws.async_write(net::buffer(payload), use_awaitable);
      co_await ws.async_read(buf, use_awaitable);
      buf.consume(buf.size());
      ++acks;
    }
    co_await ws.async_close(websocket::close_code::normal, use_awaitable);
  } catch (const std::exception&) {
    ++errors;
  }
  --running;
}

// Churn: starts cfg.rate sessions per second on an absolute schedule until the deadline.
awaitable<void> churn() {
  auto t0 = clock_type::now();
  for (long i = 0;; ++i) {
    auto at = t0 + seconds(static_cast<double>(i) / cfg.rate);
    if (at >= deadline) break;
    co_await sleep_until(at);
    net::co_spawn(co_await net::this_coro::executor, session(2, at), net::detached);
  }
}

// Stops the process once the deadline passed and every session ended, or 5 s after it.
awaitable<void> watchdog(net::io_context& io) {
  co_await sleep_until(deadline);
  auto hard = deadline + std::chrono::seconds(5);
  while (running > 0 && clock_type::now() < hard) co_await sleep_until(clock_type::now() + std::chrono::milliseconds(50));
  io.stop();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) usage("URL and mode are required");
  std::string url = argv[1];
  if (url.rfind("ws://", 0) != 0) usage("the URL must start with ws://");
  auto rest = url.substr(5);
  auto slash = rest.find('/');
  auto hostport = rest.substr(0, slash);
  if (slash != std::string::npos) cfg.path = rest.substr(slash);
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) usage("the URL needs a port");
  cfg.host = hostport.substr(0, colon);
  cfg.port = hostport.substr(colon + 1);
  cfg.mode = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    double v = std::atof(argv[i + 1]);
    if (k == "--connections" || k == "--sessions") cfg.count = static_cast<long>(v);
    else if (k == "--every") cfg.every_s = v;
    else if (k == "--ramp") cfg.ramp_s = v;
    else if (k == "--rate") cfg.rate = v;
    else if (k == "--messages") cfg.messages = static_cast<long>(v);
    else if (k == "--duration") cfg.duration_s = v;
    else usage(("unknown option " + k).c_str());
  }
  if (cfg.duration_s <= 0 || cfg.duration_s > 3600) usage("--duration must be in (0, 3600] seconds");
  net::io_context io(1);
  auto t0 = clock_type::now();
  deadline = t0 + seconds(cfg.duration_s);
  if (cfg.mode == "closed" || cfg.mode == "interval") {
    if (cfg.count < 1 || cfg.count > 100'000) usage("--connections/--sessions must be 1..100000");
    int kind = cfg.mode == "closed" ? 0 : 1;
    for (long i = 0; i < cfg.count; ++i)
      net::co_spawn(io, session(kind, t0 + seconds(cfg.ramp_s * static_cast<double>(i) / static_cast<double>(cfg.count))),
                    net::detached);
  } else if (cfg.mode == "churn") {
    if (cfg.rate <= 0 || cfg.rate > 100'000) usage("--rate must be in (0, 100000]");
    if (cfg.messages < 1) usage("--messages must be at least 1");
    net::co_spawn(io, churn(), net::detached);
  } else {
    usage("mode must be closed, interval or churn");
  }
  net::co_spawn(io, watchdog(io), net::detached);
  io.run();
  std::printf("messages=%llu sessions=%llu errors=%llu\n", acks, opened, errors);
  return errors == 0 ? 0 : 1;
}
