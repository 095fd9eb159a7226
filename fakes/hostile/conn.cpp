#include "fakes/hostile/conn.hpp"

#include "fakes/hostile/io.hpp"

namespace drover::fakes::hostile {

conn::conn(boost::asio::ip::tcp::socket socket, worker& w, std::chrono::milliseconds max_life)
    : session_base(w),
      socket_(std::move(socket)),
      pause_timer_(socket_.get_executor()),
      life_timer_(socket_.get_executor()),
      max_life_(max_life) {}

conn::~conn() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void conn::start_life() {
  life_timer_.expires_after(max_life_);
  life_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->shutdown();
  });
}

void conn::shutdown() {
  ended_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  pause_timer_.cancel();
  life_timer_.cancel();
}

void conn::reset() {
  boost::system::error_code ignored;
  socket_.set_option(boost::asio::socket_base::linger(true, 0), ignored);
  shutdown();
}

void conn::shutdown_send() {
  boost::system::error_code ignored;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

boost::asio::awaitable<bool> conn::pause(std::chrono::milliseconds d) {
  if (ended_) co_return false;
  pause_timer_.expires_after(d);
  auto [ec] = co_await pause_timer_.async_wait(no_throw);
  co_return !ec && !ended_;
}

}  // namespace drover::fakes::hostile
