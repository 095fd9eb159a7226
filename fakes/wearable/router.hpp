#pragma once
// Routing of the wearable fake (docs/protocols/wearable.md §8 routing and seq, §9 REPLAY): per
// developer, a seq counter (strictly increasing, sparse: steps of 1 or 2 at random), the
// history of every DISPATCH (for REPLAY) and the consumers registered to receive them.
//
// Threading: any method may be called from any worker thread. Each developer has its own
// mutex; deliveries go into each consumer's mailbox under that mutex, so every consumer sees
// its developer's DISPATCHes in seq order whichever threads the producers run on. The
// mailbox's owner drains it on its own thread.
#include "fakes/common/mailbox.hpp"
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

namespace drover::fakes::wearable {

// One DISPATCH as stored: immutable once made, shared by every consumer and by REPLAY.
// Only the text is kept (memory: every DISPATCH stays for REPLAY); faults re-parse it.
struct dispatch_record {
  std::int64_t seq = 0;
  std::shared_ptr<const std::string> text;  // {"op":5,"d":{...},"uid":U,"seq":N,"t":T}
};
using record_ptr = std::shared_ptr<const dispatch_record>;

// A consumer's inbox of DISPATCH records, filled from any thread.
using mailbox = fakes::mailbox<record_ptr>;

class router;

class developer_channel {
 public:
  developer_channel(std::string developer, router& owner);

  // False when the developer already has consumer_limit consumers (the newest is refused).
  bool add_consumer(const std::shared_ptr<mailbox>& consumer);
  void remove_consumer(const std::shared_ptr<mailbox>& consumer);
  // Makes a DISPATCH from a producer's SUBMIT (d must already carry ts), stores it and delivers it.
  void submit(const std::string& uid, const std::string& type, boost::json::object data);
  // Stored DISPATCHes with after < seq < before (before absent: no upper bound), in seq order.
  // `inclusive` (a fault) turns both bounds into <=.
  std::vector<record_ptr> range(double after, std::optional<double> before, bool inclusive) const;
  const std::string& developer() const { return developer_; }

 private:
  std::string developer_;
  router& owner_;
  mutable std::mutex mutex_;
  std::int64_t last_seq_ = 0;
  std::minstd_rand rng_;
  std::deque<record_ptr> history_;
  std::vector<std::shared_ptr<mailbox>> consumers_;
};

class router {
 public:
  // history_limit: DISPATCHes kept per developer for REPLAY (oldest forgotten first).
  router(std::size_t consumer_limit, std::size_t history_limit);

  std::shared_ptr<developer_channel> channel(const std::string& developer);

  // A consumer that also receives every other developer's DISPATCHes (fault cross-developer-dispatch).
  void add_spy(const std::string& developer, const std::shared_ptr<mailbox>& spy);
  void remove_spy(const std::shared_ptr<mailbox>& spy);

  std::size_t consumer_limit() const { return consumer_limit_; }
  std::size_t history_limit() const { return history_limit_; }

 private:
  friend class developer_channel;
  void deliver_to_spies(const std::string& developer, const record_ptr& record);

  std::size_t consumer_limit_;
  std::size_t history_limit_;
  std::mutex channels_mutex_;
  std::unordered_map<std::string, std::shared_ptr<developer_channel>> channels_;
  std::mutex spies_mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<mailbox>>> spies_;
  std::atomic<std::size_t> spy_count_{0};
};

}  // namespace drover::fakes::wearable
