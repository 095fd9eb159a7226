#pragma once
// Counts of schema validation during a run, one instance per worker (touched only by that
// worker's thread), merged by the controller at the end or at a progress tick.
//
// Direction words in the result: "sent" (client -> server, checked against the client
// schemas: a violation is a bug in the scenario) and "received" (server -> client, the
// server schemas: a violation is the server's).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/json/object.hpp>

#include "harness/protocols/protocol.hpp"

namespace drover::protocols {

// "all" (default), "off", or "sample:N" (every Nth message: the 1st, the N+1th, ...).
struct validate_mode {
  enum class kind { all, off, sample };
  kind what = kind::all;
  std::uint64_t every = 1;  // N for sample
  std::string to_string() const;
};
// Throws usage_error for anything else (N must be a whole number >= 1).
validate_mode parse_validate_mode(std::string_view text);

std::string_view direction_word(direction dir);  // "sent" | "received"

class validation_stats {
 public:
  struct type_counts {
    std::uint64_t valid = 0;
    std::uint64_t invalid = 0;
  };
  struct violation_entry {
    std::string direction;  // "sent" | "received"
    std::string type;       // message type, "" when unknown
    std::string pointer;
    std::string keyword;
    std::string detail;     // of the first occurrence
    std::string excerpt;    // of the first occurrence
    std::uint64_t count = 0;
  };

  validation_stats() = default;
  validation_stats(std::string protocol, std::string dialect, validate_mode mode = {}, std::size_t max_violations = 20);

  // Sampling: call once per message; true = validate this one. Counts the skipped ones.
  bool should_validate();

  // Records one validated message.
  void record(direction dir, const validation_result& result);

  // Adds `other` (same protocol and mode) into this one. Violations stay distinct by
  // (direction, type, pointer, keyword); new ones are kept while fewer than the limit.
  void merge(const validation_stats& other);

  // {"protocol","dialect","mode","messages":[{direction,type,valid,invalid}],
  //  "violations":[{direction,type,pointer,keyword,detail,excerpt,count}],
  //  "unknown","validated","skipped"}
  boost::json::object to_json() const;

  std::uint64_t validated() const { return validated_; }
  std::uint64_t skipped() const { return skipped_; }
  std::uint64_t unknown() const { return unknown_; }
  std::uint64_t invalid() const;  // messages with at least one violation, unknown ones included
  const std::map<std::pair<std::string, std::string>, type_counts>& by_type() const { return by_type_; }
  const std::vector<violation_entry>& violations() const { return violations_; }

 private:
  void add_violation(violation_entry entry);

  std::string protocol_;
  std::string dialect_;
  validate_mode mode_;
  std::size_t max_violations_ = 20;
  std::uint64_t seen_ = 0;
  std::uint64_t validated_ = 0;
  std::uint64_t skipped_ = 0;
  std::uint64_t unknown_ = 0;
  std::map<std::pair<std::string, std::string>, type_counts> by_type_;  // (direction word, type)
  std::vector<violation_entry> violations_;
};

}  // namespace drover::protocols
