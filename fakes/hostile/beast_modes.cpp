// Modes whose misbehaviour is above the framing: valid WebSocket that a client must still
// survive. Beast does the framing; the coroutines only decide what to send and when.
#include <chrono>
#include <deque>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "fakes/hostile/io.hpp"
#include "fakes/hostile/serve.hpp"

namespace drover::fakes::hostile {

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using ws_stream = websocket::stream<asio::ip::tcp::socket&>;
using namespace std::chrono_literals;

constexpr int pings_per_second = 10'000;
constexpr int max_pings_per_tick = 500;  // a late tick does not turn into a burst of thousands

struct flood_state {
  std::deque<std::string> echoes;  // messages read, waiting for their turn between pings
  bool reader_done = false;
};

// Reads messages for ping-flood; what it reads is echoed by the pinger (one writer at a time).
// It holds the stream (and the connection under it) so that neither goes while its read is pending.
asio::awaitable<void> flood_reader(std::shared_ptr<conn> c, std::shared_ptr<ws_stream> ws,
                                   std::shared_ptr<flood_state> state) {
  beast::flat_buffer buf;
  while (true) {
    auto [ec, n] = co_await ws->async_read(buf, no_throw);
    if (ec) break;
    // Bounded: a client that sends faster than 10 echoes per tick are written loses the rest.
    if (state->echoes.size() < 1000) state->echoes.push_back(beast::buffers_to_string(buf.data()));
    buf.consume(buf.size());
  }
  state->reader_done = true;
  c->shutdown();
}

asio::awaitable<void> ping_flood(std::shared_ptr<conn> c, std::shared_ptr<ws_stream> wsp) {
  auto& ws = *wsp;
  auto state = std::make_shared<flood_state>();
  asio::co_spawn(ws.get_executor(), flood_reader(c, wsp, state), asio::detached);
  auto start = std::chrono::steady_clock::now();
  long long sent = 0;
  while (!state->reader_done && !c->ended()) {
    while (!state->echoes.empty()) {
      std::string text = std::move(state->echoes.front());
      state->echoes.pop_front();
      ws.text(true);
      auto [ec, n] = co_await ws.async_write(asio::buffer(text), no_throw);
      if (ec) co_return;
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    long long due = std::min<long long>(elapsed.count() * pings_per_second / 1000 - sent, max_pings_per_tick);
    for (long long i = 0; i < due; ++i) {
      auto [ec] = co_await ws.async_ping({}, no_throw);
      if (ec) co_return;
    }
    sent += std::max<long long>(due, 0);
    if (!co_await c->pause(10ms)) co_return;
  }
}

asio::awaitable<void> binary_instead_of_text(std::shared_ptr<conn> c, ws_stream& ws) {
  ws.binary(true);
  std::string hello = R"({"type":"hello","note":"JSON in a binary frame"})";
  if (auto [ec, n] = co_await ws.async_write(asio::buffer(hello), no_throw); ec) co_return;
  beast::flat_buffer buf;
  while (!c->ended()) {
    auto [ec, n] = co_await ws.async_read(buf, no_throw);
    if (ec) co_return;
    auto [wec, wn] = co_await ws.async_write(buf.data(), no_throw);
    if (wec) co_return;
    buf.consume(buf.size());
  }
}

}  // namespace

asio::awaitable<void> serve_beast(std::shared_ptr<conn> c, hostile_mode mode) {
  auto wsp = std::make_shared<ws_stream>(c->socket());
  auto& ws = *wsp;
  ws.auto_fragment(false);
  ws.read_message_max(1 << 20);
  if (auto [ec] = co_await ws.async_accept(no_throw); ec) co_return;
  if (mode == hostile_mode::ping_flood)
    co_await ping_flood(c, wsp);
  else
    co_await binary_instead_of_text(c, ws);
  c->shutdown();  // wakes a pending read, which then lets go of the stream
}

}  // namespace drover::fakes::hostile
