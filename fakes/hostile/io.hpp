#pragma once
// Coroutine helpers over any Asio byte stream (a TCP socket, or TLS over one), for the hostile
// fake. They never throw: a failure means the peer is gone, and the caller stops.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace drover::fakes::hostile {

namespace asio = boost::asio;
inline constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);
inline constexpr std::size_t max_request_head = 8192;

// Writes all of data; false when the peer is gone.
template <class Stream>
asio::awaitable<bool> write_all(Stream& stream, std::string_view data) {
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(data.data(), data.size()), no_throw);
  co_return !ec;
}

// Reads an HTTP request head (through the blank line, at most max_request_head bytes);
// nullopt when the peer went away or sent too much. Bytes after the head are dropped: a
// client does not send frames before the 101.
template <class Stream>
asio::awaitable<std::optional<std::string>> read_request_head(Stream& stream) {
  std::string head;
  std::array<char, 1024> buf;
  while (head.size() < max_request_head) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), no_throw);
    if (ec) co_return std::nullopt;
    head.append(buf.data(), n);
    if (auto end = head.find("\r\n\r\n"); end != std::string::npos) {
      head.resize(end + 4);
      co_return head;
    }
  }
  co_return std::nullopt;
}

// Reads and discards until the peer closes or the stream fails (bounded by the connection's life).
template <class Stream>
asio::awaitable<void> discard_input(Stream& stream) {
  std::array<char, 16384> buf;
  while (true) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), no_throw);
    if (ec) co_return;
  }
}

}  // namespace drover::fakes::hostile
