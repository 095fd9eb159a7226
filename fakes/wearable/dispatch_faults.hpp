#pragma once
// What one consumer actually receives: the stored DISPATCH text, or a copy broken by that
// consumer's faults (seq-backwards, seq-duplicate, replay-*, dispatch-bad-schema,
// drop-unknown-type).
// Pure functions; the caller keeps the per-consumer live_stream state on its own thread.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fakes/wearable/flags.hpp"
#include "fakes/wearable/router.hpp"

namespace drover::fakes::wearable {

struct live_stream {
  std::int64_t last_seq = 0;
  std::uint64_t delivered = 0;
};

// Null when this consumer does not receive the record at all (drop-unknown-type).
std::shared_ptr<const std::string> live_dispatch_text(const dispatch_record& record, live_stream& stream,
                                                      const fault_flags& flags);

// The answer to a REPLAY (records already selected by the bounds, in seq order).
std::vector<std::shared_ptr<const std::string>> replay_texts(std::vector<record_ptr> records,
                                                             const fault_flags& flags);

// ISO-8601 UTC timestamp with offset and microseconds: "2024-05-04T10:26:11.268507+00:00".
std::string iso8601_now();

}  // namespace drover::fakes::wearable
