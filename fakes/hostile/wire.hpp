#pragma once
// Bytes on the wire for the hostile fake: the HTTP upgrade answer and server-to-client frames
// (RFC 6455 §5.2, never masked), written by hand so that each mode can get exactly one thing
// wrong. Pure functions; any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drover::fakes::hostile {

enum class opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

struct frame_options {
  bool fin = true;
  bool rsv1 = false;                         // "compressed" (permessage-deflate) without negotiation
  std::optional<std::uint64_t> announced;    // length written in the header; payload size when unset
};

// A frame header followed by payload (which may be shorter than `announced`).
std::string frame(opcode op, std::string_view payload, frame_options options = {});

// A close frame's payload: the code (big endian) followed by the reason, whatever their validity.
std::string close_payload(std::uint16_t code, std::string_view reason);

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (base64 of SHA-1 of key + GUID).
std::string accept_key(std::string_view client_key);

// The value of header `name` (case-insensitive) in a raw HTTP request head; nullopt when absent.
std::optional<std::string> header_value(std::string_view head, std::string_view name);

enum class upgrade_flaw { none, no_upgrade_headers, wrong_accept };

// The 101 answer to `request_head`: correct, or with one flaw. A request without a key is
// answered as if its key were empty (the client judges).
std::string upgrade_answer(std::string_view request_head, upgrade_flaw flaw = upgrade_flaw::none);

}  // namespace drover::fakes::hostile
