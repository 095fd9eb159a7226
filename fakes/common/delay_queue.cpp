#include "fakes/common/delay_queue.hpp"

namespace drover::fakes {

delay_queue::delay_queue(boost::asio::any_io_executor executor)
    : state_(std::make_shared<state>(std::move(executor))) {}

delay_queue::~delay_queue() { cancel(); }

void delay_queue::push(std::chrono::milliseconds delay, std::function<void()> callback) {
  state_->items.emplace_back(std::chrono::steady_clock::now() + delay, std::move(callback));
  if (state_->items.size() == 1) arm(state_);
}

void delay_queue::cancel() {
  state_->items.clear();
  state_->timer.cancel();
}

void delay_queue::arm(const std::shared_ptr<state>& st) {
  st->timer.expires_at(st->items.front().first);
  st->timer.async_wait([st](boost::system::error_code ec) {
    if (ec) return;
    auto now = std::chrono::steady_clock::now();
    while (!st->items.empty() && st->items.front().first <= now) {
      auto callback = std::move(st->items.front().second);
      st->items.pop_front();
      callback();
    }
    if (!st->items.empty()) arm(st);
  });
}

}  // namespace drover::fakes
