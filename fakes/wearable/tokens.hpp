#pragma once
// Tokens of the wearable fake: each maps to (role, developer, user) and is usable once
// (docs/protocols/wearable.md §4.4). Either a fixed table (--tokens FILE) or, without one,
// self-describing tokens: "dev:DEV:NONCE" (consumer of DEV) and "user:DEV:USER:NONCE"
// (producer USER of DEV). Thread-safe: claim() may be called from any worker.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace drover::fakes::wearable {

enum class role { producer, consumer };

struct identity {
  role kind = role::producer;
  std::string developer;
  std::string user;  // empty for a consumer
};

class token_store {
 public:
  // Self-describing tokens.
  token_store() = default;
  token_store(const token_store&) = delete;
  token_store& operator=(const token_store&) = delete;
  // {"TOKEN": {"role":"producer"|"consumer","developer":D,"user":U}, ...}. Throws usage_error
  // (file_error when unreadable) naming the file and the problem.
  static std::unique_ptr<token_store> from_file(const std::string& path);
  static std::unique_ptr<token_store> from_json(std::string_view text, const std::string& origin);

  enum class outcome { ok, unknown, used, wrong_role };
  struct claim_result {
    outcome result = outcome::unknown;
    identity who;
  };
  // Checks the token for the expected role and marks it used when it is good.
  // allow_reuse (fault reuse-token) accepts a token that was used before.
  claim_result claim(const std::string& token, role expected, bool allow_reuse);

 private:
  std::optional<identity> lookup(const std::string& token) const;

  bool self_describing_ = true;
  std::unordered_map<std::string, identity> table_;
  std::mutex mutex_;
  std::unordered_set<std::string> used_;
};

}  // namespace drover::fakes::wearable
