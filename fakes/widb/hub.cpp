#include "fakes/widb/hub.hpp"

#include <algorithm>

namespace drover::fakes::widb {

std::shared_ptr<hub::channel> hub::find(const std::string& api_key) {
  std::lock_guard lock(channels_mutex_);
  auto it = channels_.find(api_key);
  return it == channels_.end() ? nullptr : it->second;
}

// associate and dissociate hold channels_mutex_ while they change a channel (lock order: map,
// then channel), so a channel is erased only when empty and never while a dashboard joins it.
// publish looks the channel up and then locks it alone: a channel erased in between was empty.
void hub::associate(const std::string& api_key, const std::shared_ptr<mailbox>& dashboard) {
  std::lock_guard lock(channels_mutex_);
  auto& slot = channels_[api_key];
  if (!slot) slot = std::make_shared<channel>();
  std::lock_guard channel_lock(slot->mutex);
  slot->dashboards.push_back(dashboard);
}

void hub::dissociate(const std::string& api_key, const std::shared_ptr<mailbox>& dashboard) {
  std::lock_guard lock(channels_mutex_);
  auto it = channels_.find(api_key);
  if (it == channels_.end()) return;
  std::shared_ptr<channel> keep = it->second;  // the mutex below must outlive the erase
  std::lock_guard channel_lock(keep->mutex);
  auto& d = keep->dashboards;
  d.erase(std::remove(d.begin(), d.end(), dashboard), d.end());
  if (d.empty()) channels_.erase(it);
}

std::size_t hub::channel_count() {
  std::lock_guard lock(channels_mutex_);
  return channels_.size();
}

void hub::add_spy(const std::string& api_key, const std::shared_ptr<mailbox>& spy) {
  std::lock_guard lock(spies_mutex_);
  spies_.emplace_back(api_key, spy);
  spy_count_.store(spies_.size());
}

void hub::remove_spy(const std::shared_ptr<mailbox>& spy) {
  std::lock_guard lock(spies_mutex_);
  spies_.erase(std::remove_if(spies_.begin(), spies_.end(), [&](const auto& s) { return s.second == spy; }),
               spies_.end());
  spy_count_.store(spies_.size());
}

void hub::publish(const std::string& api_key, const text_ptr& text) {
  if (auto ch = find(api_key)) {
    std::lock_guard lock(ch->mutex);
    for (const auto& d : ch->dashboards) d->push(text);
  }
  if (spy_count_.load() == 0) return;
  std::lock_guard lock(spies_mutex_);
  for (const auto& [key, spy] : spies_)
    if (key != api_key) spy->push(text);
}

}  // namespace drover::fakes::widb
