#pragma once
// A session's inbox for what other sessions (on any worker) send it: relays, fan-out,
// DISPATCHes. push() may be called from any thread; `wake` is called on the pushing thread at
// most once until the next take(), and must post the owner's drain to the owner's worker, never
// run it inline. take() (the owner's thread) hands over everything pushed so far, in push order.
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace drover::fakes {

template <class Item>
class mailbox {
 public:
  explicit mailbox(std::function<void()> wake) : wake_(std::move(wake)) {}

  void push(Item item) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(item));
      wake = !woken_;
      woken_ = true;
    }
    if (wake) wake_();
  }

  std::vector<Item> take() {
    std::lock_guard lock(mutex_);
    woken_ = false;
    std::vector<Item> out;
    out.swap(pending_);
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<Item> pending_;
  bool woken_ = false;
  std::function<void()> wake_;
};

}  // namespace drover::fakes
