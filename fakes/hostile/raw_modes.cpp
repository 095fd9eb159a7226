// Modes whose misbehaviour is below WebSocket: the upgrade answer and frame bytes are written by
// hand (wire.hpp), so each can be wrong in exactly one way that Beast would not let a server be.
#include <array>
#include <chrono>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "fakes/hostile/io.hpp"
#include "fakes/hostile/serve.hpp"
#include "fakes/hostile/wire.hpp"

namespace drover::fakes::hostile {

namespace {

using namespace std::chrono_literals;

// Reads (and drops) what the client sends, beside the mode's own writing; once the client has
// gone the connection ends, which wakes the mode from its pause.
void keep_reading(const std::shared_ptr<conn>& c) {
  asio::co_spawn(
      c->socket().get_executor(),
      [c]() -> asio::awaitable<void> {
        co_await discard_input(c->socket());
        c->shutdown();
      },
      asio::detached);
}

// Sends `data` in pieces of `chunk` bytes with `gap` between them; false when the peer went.
asio::awaitable<bool> dribble(conn& c, std::string_view data, std::size_t chunk, std::chrono::milliseconds gap) {
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    if (!co_await write_all(c.socket(), data.substr(at, chunk))) co_return false;
    if (at + chunk < data.size() && !co_await c.pause(gap)) co_return false;
  }
  co_return true;
}

// The close frames of close-storm, each wrong in its own way; connection i starts at flaw i.
std::array<std::string, 8> bad_close_frames() {
  return {
      frame(opcode::close, close_payload(1005, "1005 must not be sent")),
      frame(opcode::close, close_payload(1006, "1006 must not be sent")),
      frame(opcode::close, close_payload(999, "below 1000")),
      frame(opcode::close, close_payload(5000, "above 4999")),
      frame(opcode::close, close_payload(1004, "reserved")),
      frame(opcode::close, std::string(1, '\x03')),                          // half a code
      frame(opcode::close, close_payload(1000, std::string(200, 'r'))),      // control payload > 125 bytes
      frame(opcode::close, close_payload(1000, std::string("\xC3\x28", 2))),  // reason not UTF-8
  };
}

std::string trickle_message() {
  std::string text = R"({"type":"trickle","note":"one byte every 100 ms","pad":")";
  text.append(120 - text.size() - 2, '.');
  return frame(opcode::text, text + "\"}");
}

}  // namespace

asio::awaitable<void> serve_raw(std::shared_ptr<conn> c, hostile_mode mode, unsigned index) {
  auto request = co_await read_request_head(c->socket());
  if (!request) co_return;
  switch (mode) {
    case hostile_mode::slow_upgrade:
      // ~130 bytes: the client's handshake timeout ends it long before the answer does.
      co_await dribble(*c, upgrade_answer(*request), 1, 1000ms);
      co_return;
    case hostile_mode::bad_upgrade:
    case hostile_mode::bad_accept:
      if (!co_await write_all(c->socket(), upgrade_answer(*request, mode == hostile_mode::bad_upgrade
                                                                        ? upgrade_flaw::no_upgrade_headers
                                                                        : upgrade_flaw::wrong_accept)))
        co_return;
      co_await discard_input(c->socket());
      co_return;
    default:
      break;
  }
  if (!co_await write_all(c->socket(), upgrade_answer(*request))) co_return;
  switch (mode) {
    case hostile_mode::trickle:
      keep_reading(c);
      if (co_await dribble(*c, trickle_message(), 1, 100ms)) co_await c->pause(24h);
      co_return;
    case hostile_mode::never_read:
      co_await c->pause(24h);  // until the connection's life ends: the socket is never read again
      co_return;
    case hostile_mode::rst_mid_frame:
      keep_reading(c);
      if (!co_await write_all(c->socket(), frame(opcode::text, "0123456789", {.announced = 1000}))) co_return;
      if (co_await c->pause(200ms)) c->reset();
      co_return;
    case hostile_mode::oversized: {
      keep_reading(c);
      std::string kib(1024, 'x');
      if (!co_await write_all(c->socket(), frame(opcode::text, kib, {.announced = 100'000'000}))) co_return;
      co_await c->pause(24h);
      co_return;
    }
    case hostile_mode::invalid_utf8:
      keep_reading(c);
      if (!co_await write_all(c->socket(), frame(opcode::text, std::string("{\"text\":\"\xC3\x28\xFF\xFE\"}")))) co_return;
      co_await c->pause(24h);
      co_return;
    case hostile_mode::fragmented_control:
      keep_reading(c);
      if (!co_await write_all(c->socket(), frame(opcode::ping, "frag", {.fin = false}) +
                                                frame(opcode::continuation, "ment")))
        co_return;
      co_await c->pause(24h);
      co_return;
    case hostile_mode::close_storm: {
      keep_reading(c);
      auto frames = bad_close_frames();
      std::string burst;
      for (std::size_t i = 0; i < frames.size(); ++i) burst += frames[(index + i) % frames.size()];
      if (!co_await write_all(c->socket(), burst)) co_return;
      co_await c->pause(24h);
      co_return;
    }
    case hostile_mode::unasked_compression:
      keep_reading(c);
      if (!co_await write_all(c->socket(), frame(opcode::text, R"({"type":"deflated?"})", {.rsv1 = true}))) co_return;
      co_await c->pause(24h);
      co_return;
    case hostile_mode::half_close:
      c->shutdown_send();
      co_await discard_input(c->socket());
      co_return;
    default:
      co_return;
  }
}

}  // namespace drover::fakes::hostile
