#include "fakes/hostile/wire.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>

namespace drover::fakes::hostile {

std::string frame(opcode op, std::string_view payload, frame_options options) {
  std::uint64_t length = options.announced.value_or(payload.size());
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>((options.fin ? 0x80 : 0) | (options.rsv1 ? 0x40 : 0) |
                                  static_cast<std::uint8_t>(op)));
  if (length < 126) {
    out.push_back(static_cast<char>(length));
  } else if (length <= 0xffff) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(length & 0xff));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((length >> shift) & 0xff));
  }
  out.append(payload);
  return out;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xff));
  out.append(reason);
  return out;
}

std::string accept_key(std::string_view client_key) {
  std::string input(client_key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n));
}

std::optional<std::string> header_value(std::string_view head, std::string_view name) {
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    std::size_t start = pos + 2;
    std::size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::size_t colon = line.find(':');
    if (colon == name.size() &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      return std::string(value);
    }
    pos = end;
  }
  return std::nullopt;
}

std::string upgrade_answer(std::string_view request_head, upgrade_flaw flaw) {
  std::string accept = accept_key(header_value(request_head, "Sec-WebSocket-Key").value_or(""));
  // A wrong key that is still well-formed base64 of 20 bytes: only the value is wrong.
  if (flaw == upgrade_flaw::wrong_accept) accept = accept_key("not the key the client sent");
  std::string out = "HTTP/1.1 101 Switching Protocols\r\n";
  if (flaw != upgrade_flaw::no_upgrade_headers) out += "Upgrade: websocket\r\nConnection: Upgrade\r\n";
  out += "Sec-WebSocket-Accept: " + accept + "\r\nServer: drover-hostile\r\n\r\n";
  return out;
}

}  // namespace drover::fakes::hostile
