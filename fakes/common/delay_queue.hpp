#pragma once
// Runs callbacks after a delay, in the order they were pushed, with one timer. For faults that
// answer late (slow-ack, late-ack). Delays pushed to one queue must not decrease.
// Threading: the owner's thread only. Callbacks that capture the session keep it alive until
// they run or cancel() drops them; the timer's own handler holds only the queue's state.
#include <chrono>
#include <deque>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace drover::fakes {

class delay_queue {
 public:
  explicit delay_queue(boost::asio::any_io_executor executor);
  ~delay_queue();
  delay_queue(const delay_queue&) = delete;
  delay_queue& operator=(const delay_queue&) = delete;

  void push(std::chrono::milliseconds delay, std::function<void()> callback);
  // Drops every pending callback without running it.
  void cancel();

 private:
  struct state {
    explicit state(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
    boost::asio::steady_timer timer;
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::function<void()>>> items;
  };
  static void arm(const std::shared_ptr<state>& st);

  std::shared_ptr<state> state_;
};

}  // namespace drover::fakes
