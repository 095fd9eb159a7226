#pragma once
// Agent tokens of the vStats fake: each valid token names one monitored server (id, name,
// optional location). Tokens are not used up: an agent reconnects with the same token.
// Either a fixed table (--tokens FILE: {"TOKEN": {"server_id":ID,"name":N,"location":L}}) or,
// without one, self-describing tokens "agent:SERVER_ID" (name = SERVER_ID, no location).
// Immutable after construction: lookup() may be called from any thread.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace drover::fakes::vstats {

struct server_info {
  std::string id;
  std::string name;
  std::string location;  // empty: not sent
};

class token_store {
 public:
  token_store() = default;  // self-describing tokens
  // Throws usage_error (file_error when unreadable) naming the file and the problem.
  static std::unique_ptr<token_store> from_file(const std::string& path);
  static std::unique_ptr<token_store> from_json(std::string_view text, const std::string& origin);

  // The server a token belongs to, or nullopt for a bad (unknown, empty, malformed) token.
  std::optional<server_info> lookup(std::string_view token) const;

 private:
  bool self_describing_ = true;
  std::unordered_map<std::string, server_info> table_;
};

}  // namespace drover::fakes::vstats
