#include "fakes/remotedev/exchange.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace drover::fakes::remotedev {

namespace json = boost::json;

std::string publish_text(std::string_view channel, const json::value* data) {
  std::string out = R"({"event":"#publish","data":{"channel":)";
  out += json::serialize(json::string(channel));
  if (data) {
    out += R"(,"data":)";
    out += json::serialize(*data);
  }
  out += "}}";
  return out;
}

void exchange::subscribe(const std::string& channel, const std::shared_ptr<mailbox>& box) {
  std::lock_guard lock(mutex_);
  auto& boxes = channels_[channel];
  if (std::find(boxes.begin(), boxes.end(), box) == boxes.end()) boxes.push_back(box);
}

void exchange::unsubscribe(const std::string& channel, const std::shared_ptr<mailbox>& box) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  auto& boxes = it->second;
  boxes.erase(std::remove(boxes.begin(), boxes.end(), box), boxes.end());
  if (boxes.empty()) channels_.erase(it);
}

void exchange::add_spy(const std::shared_ptr<mailbox>& box) {
  std::lock_guard lock(mutex_);
  if (std::find(spies_.begin(), spies_.end(), box) == spies_.end()) spies_.push_back(box);
}

void exchange::remove_spy(const std::shared_ptr<mailbox>& box) {
  std::lock_guard lock(mutex_);
  spies_.erase(std::remove(spies_.begin(), spies_.end(), box), spies_.end());
}

void exchange::set_direct(const std::string& socket_id, const std::shared_ptr<mailbox>& box, std::string watch) {
  std::lock_guard lock(mutex_);
  auto [first, last] = directs_.equal_range(socket_id);
  for (auto it = first; it != last; ++it) {
    if (it->second.box == box) {
      it->second.watch = std::move(watch);
      return;
    }
  }
  directs_.emplace(socket_id, direct{box, std::move(watch)});
}

void exchange::remove_direct(const std::string& socket_id, const std::shared_ptr<mailbox>& box) {
  std::lock_guard lock(mutex_);
  auto [first, last] = directs_.equal_range(socket_id);
  for (auto it = first; it != last; ++it) {
    if (it->second.box == box) {
      directs_.erase(it);
      return;
    }
  }
}

void exchange::publish(std::string_view channel, const json::value* data) {
  auto text = std::make_shared<const std::string>(publish_text(channel, data));
  std::string direct_id = channel.rfind("sc-", 0) == 0 ? std::string(channel.substr(3)) : std::string();
  std::string serialized_data = data && !direct_id.empty() ? json::serialize(*data) : std::string();
  std::lock_guard lock(mutex_);
  const std::vector<std::shared_ptr<mailbox>>* subscribers = nullptr;
  auto it = channels_.find(std::string(channel));
  if (it != channels_.end()) {
    subscribers = &it->second;
    for (const auto& box : *subscribers) box->push(text);
  }
  for (const auto& spy : spies_) {
    bool subscribed = subscribers && std::find(subscribers->begin(), subscribers->end(), spy) != subscribers->end();
    if (!subscribed) spy->push(text);
  }
  if (direct_id.empty()) return;
  auto [first, last] = directs_.equal_range(direct_id);
  for (auto d = first; d != last; ++d) {
    std::string event = R"({"event":)" + json::serialize(json::string(d->second.watch));
    if (data) event += R"(,"data":)" + serialized_data;
    event += "}";
    d->second.box->push(std::make_shared<const std::string>(std::move(event)));
  }
}

std::size_t exchange::channel_count() {
  std::lock_guard lock(mutex_);
  return channels_.size();
}

}  // namespace drover::fakes::remotedev
