#pragma once
// The wearable health stream fake (docs/protocols/wearable.md): HELLO, IDENTIFY with single-use
// tokens, heartbeats, producer SUBMIT -> consumer DISPATCH routing per developer, REPLAY with
// exclusive bounds, the close codes 4000-4005/1007/1001. Correct by default; named faults each
// break one rule.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "fakes/common/faults.hpp"
#include "fakes/common/server.hpp"

namespace drover::fakes {

struct wearable_config {
  listen_options listen;
  std::vector<std::string> faults;                       // for every connection
  std::chrono::milliseconds heartbeat_interval{40'000};  // sent in HELLO; silence > 1.5x: 4005
  std::chrono::milliseconds identify_timeout{15'000};    // no IDENTIFY by then: 4000
  std::size_t consumer_limit = 1;                        // per developer; one more: 4002 to the newest
  std::string tokens_file;  // empty: self-describing tokens "dev:DEV:NONCE", "user:DEV:USER:NONCE"
  std::string tokens_json;  // the same table inline (tests); used when tokens_file is empty
  std::size_t history_limit = 1'000'000;                 // DISPATCHes kept per developer for REPLAY
  std::chrono::milliseconds late_hello_delay{2'000};     // fault late-hello
};

const fault_table& wearable_faults();

// Binds and starts serving; returns once listening. Throws usage_error (bad fault, token file,
// address, zero interval). The returned server stops when destroyed.
std::unique_ptr<fake_server> start_wearable(const wearable_config& config);

}  // namespace drover::fakes
