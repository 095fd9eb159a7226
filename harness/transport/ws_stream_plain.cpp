#include "harness/transport/bounded_tcp_stream.hpp"
// After bounded_tcp_stream.hpp: Beast must see its async_teardown overload.
#include "harness/transport/beast_ws_stream.hpp"

namespace drover::transport::detail {

std::unique_ptr<ws_stream> make_plain_stream(boost::asio::io_context& io) {
  return std::make_unique<beast_ws_stream<bounded_tcp_stream>>(io);
}

}  // namespace drover::transport::detail
