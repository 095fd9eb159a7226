#include "fakes/wearable/router.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

namespace drover::fakes::wearable {

developer_channel::developer_channel(std::string developer, router& owner)
    : developer_(std::move(developer)), owner_(owner), rng_(std::random_device{}()) {}

bool developer_channel::add_consumer(const std::shared_ptr<mailbox>& consumer) {
  std::lock_guard lock(mutex_);
  if (consumers_.size() >= owner_.consumer_limit()) return false;
  consumers_.push_back(consumer);
  return true;
}

void developer_channel::remove_consumer(const std::shared_ptr<mailbox>& consumer) {
  std::lock_guard lock(mutex_);
  consumers_.erase(std::remove(consumers_.begin(), consumers_.end(), consumer), consumers_.end());
}

void developer_channel::submit(const std::string& uid, const std::string& type, boost::json::object data) {
  std::lock_guard lock(mutex_);
  // Gaps are allowed and are not loss: step by 1 or 2 so that clients cannot assume +1.
  last_seq_ += 1 + static_cast<std::int64_t>(rng_() & 1u);
  boost::json::object frame;
  frame["op"] = 5;
  frame["d"] = std::move(data);
  frame["uid"] = uid;
  frame["seq"] = last_seq_;
  frame["t"] = type;
  auto record = std::make_shared<dispatch_record>();
  record->seq = last_seq_;
  record->text = std::make_shared<const std::string>(boost::json::serialize(frame));
  record_ptr shared = std::move(record);
  history_.push_back(shared);
  if (history_.size() > owner_.history_limit()) history_.pop_front();
  for (const auto& consumer : consumers_) consumer->push(shared);
  owner_.deliver_to_spies(developer_, shared);
}

std::vector<record_ptr> developer_channel::range(double after, std::optional<double> before, bool inclusive) const {
  std::lock_guard lock(mutex_);
  auto first = std::partition_point(history_.begin(), history_.end(), [&](const record_ptr& r) {
    return inclusive ? static_cast<double>(r->seq) < after : static_cast<double>(r->seq) <= after;
  });
  std::vector<record_ptr> out;
  for (auto it = first; it != history_.end(); ++it) {
    double seq = static_cast<double>((*it)->seq);
    if (before && (inclusive ? seq > *before : seq >= *before)) break;
    out.push_back(*it);
  }
  return out;
}

router::router(std::size_t consumer_limit, std::size_t history_limit)
    : consumer_limit_(consumer_limit), history_limit_(std::max<std::size_t>(history_limit, 1)) {}

std::shared_ptr<developer_channel> router::channel(const std::string& developer) {
  std::lock_guard lock(channels_mutex_);
  auto& slot = channels_[developer];
  if (!slot) slot = std::make_shared<developer_channel>(developer, *this);
  return slot;
}

void router::add_spy(const std::string& developer, const std::shared_ptr<mailbox>& spy) {
  std::lock_guard lock(spies_mutex_);
  spies_.emplace_back(developer, spy);
  spy_count_.store(spies_.size());
}

void router::remove_spy(const std::shared_ptr<mailbox>& spy) {
  std::lock_guard lock(spies_mutex_);
  spies_.erase(std::remove_if(spies_.begin(), spies_.end(), [&](const auto& s) { return s.second == spy; }),
               spies_.end());
  spy_count_.store(spies_.size());
}

void router::deliver_to_spies(const std::string& developer, const record_ptr& record) {
  if (spy_count_.load() == 0) return;
  std::lock_guard lock(spies_mutex_);
  for (const auto& [spy_developer, spy] : spies_) {
    if (spy_developer != developer) spy->push(record);
  }
}

}  // namespace drover::fakes::wearable
