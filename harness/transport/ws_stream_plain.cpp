#include "harness/transport/beast_ws_stream.hpp"

namespace drover::transport::detail {

std::unique_ptr<ws_stream> make_plain_stream(boost::asio::io_context& io) {
  return std::make_unique<beast_ws_stream<boost::beast::tcp_stream>>(io);
}

}  // namespace drover::transport::detail
