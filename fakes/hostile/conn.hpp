#pragma once
// One accepted connection of the hostile fake, shared (shared_ptr) by the coroutines serving
// it, all on its worker's thread. Nothing is kept forever: the connection is closed after
// `max_life` whatever its mode does, and at once when the server stops (shutdown()).
#include <chrono>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/common/server.hpp"

namespace drover::fakes::hostile {

class conn final : public session_base, public std::enable_shared_from_this<conn> {
 public:
  conn(boost::asio::ip::tcp::socket socket, worker& w, std::chrono::milliseconds max_life);
  ~conn() override;

  // Arms the life timer (it holds only a weak reference). Call once, after make_shared.
  void start_life();
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  bool ended() const { return ended_; }

  void shutdown() override;  // closes the socket and wakes a pause()
  void reset();              // closes with an RST (SO_LINGER 0), no FIN
  void shutdown_send();      // FIN on our side only; reading goes on

  // Sleeps for d; false when the connection ended meanwhile (or had already). One caller at a time.
  boost::asio::awaitable<bool> pause(std::chrono::milliseconds d);

 private:
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer pause_timer_;
  boost::asio::steady_timer life_timer_;
  std::chrono::milliseconds max_life_;
  bool ended_ = false;
};

}  // namespace drover::fakes::hostile
