#pragma once
// Blocking clients for the fake-session fuzz target, one connection per call:
//  - run_session: a WebSocket session, frames written in order while a reader takes what the
//    fake sends, then a close whose answer drains the rest;
//  - raw_exchange: bytes written as they are on a plain TCP connection (an HTTP request, or
//    anything), the write side shut, then everything the fake answers until it closes;
//  - fetch_ticket: GET a DataKraken ticket (one raw_exchange, the answer parsed).
// Every step is bounded (3 s; 50 ms for the WebSocket close), so a fake that stops answering
// costs seconds, never a hung process.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drover::fuzz {

struct session_outcome {
  bool upgraded = false;     // the fake accepted the WebSocket upgrade
  std::size_t frames_sent = 0;
  bool closed_cleanly = false;  // the closing handshake finished (TCP closed by the fake)
  bool close_answered = false;  // a close frame came back from the fake
  bool invalid_utf8 = false;    // the fake sent a text frame or a close reason that is not UTF-8
  std::size_t messages_read = 0;  // messages the reader took before the close
  std::uint16_t close_code = 0;   // the fake's close code, 0 when none came
};

session_outcome run_session(std::uint16_t port, const std::string& target, const std::vector<std::string_view>& frames);

// Writes `bytes`, shuts the write side (the fake reads end of stream after them), then reads
// until the fake closes, `limit` passes or 1 MiB has come. Returns what was read (empty when
// the connection failed).
std::string raw_exchange(std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds limit = std::chrono::seconds(3));

struct datakraken_ticket {
  std::string ticket;
  std::string session;
};

// GET `target` (normally "/api/session", perhaps with ?listeners= or ?fault=) with
// Connection: close; the ticket and session id of a 200 answer, nullopt for any other answer.
std::optional<datakraken_ticket> fetch_ticket(std::uint16_t port, std::string_view target);

}  // namespace drover::fuzz
