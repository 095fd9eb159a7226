#pragma once
// A blocking WebSocket client for the fake-session fuzz target: one connection per input,
// frames written in order, then a close whose answer drains everything the fake sent.
// Every step is bounded (3 s; 50 ms for the close), so a fake that stops answering costs
// seconds, never a hung process.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace drover::fuzz {

struct session_outcome {
  bool upgraded = false;     // the fake accepted the WebSocket upgrade
  std::size_t frames_sent = 0;
  bool closed_cleanly = false;  // the closing handshake finished (TCP closed by the fake)
  bool close_answered = false;  // a close frame came back from the fake
};

session_outcome run_session(std::uint16_t port, const std::string& target, const std::vector<std::string_view>& frames);

}  // namespace drover::fuzz
