#include "fakes/widb/hub.hpp"

#include <algorithm>

namespace drover::fakes::widb {

void mailbox::push(text_ptr text) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(text));
    wake = !woken_;
    woken_ = true;
  }
  if (wake) wake_();
}

std::vector<text_ptr> mailbox::take() {
  std::lock_guard lock(mutex_);
  woken_ = false;
  std::vector<text_ptr> out;
  out.swap(pending_);
  return out;
}

std::shared_ptr<hub::channel> hub::find(const std::string& api_key, bool create) {
  std::lock_guard lock(channels_mutex_);
  auto it = channels_.find(api_key);
  if (it != channels_.end()) return it->second;
  if (!create) return nullptr;
  auto made = std::make_shared<channel>();
  channels_.emplace(api_key, made);
  return made;
}

void hub::associate(const std::string& api_key, const std::shared_ptr<mailbox>& dashboard) {
  auto ch = find(api_key, true);
  std::lock_guard lock(ch->mutex);
  ch->dashboards.push_back(dashboard);
}

void hub::dissociate(const std::string& api_key, const std::shared_ptr<mailbox>& dashboard) {
  auto ch = find(api_key, false);
  if (!ch) return;
  std::lock_guard lock(ch->mutex);
  auto& d = ch->dashboards;
  d.erase(std::remove(d.begin(), d.end(), dashboard), d.end());
  // Channels stay in the map once made: apiKeys are few (customers), and a phone holding a
  // channel pointer would otherwise publish into a forgotten one.
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
  if (auto ch = find(api_key, false)) {
    std::lock_guard lock(ch->mutex);
    for (const auto& d : ch->dashboards) d->push(text);
  }
  if (spy_count_.load() == 0) return;
  std::lock_guard lock(spies_mutex_);
  for (const auto& [key, spy] : spies_)
    if (key != api_key) spy->push(text);
}

}  // namespace drover::fakes::widb
