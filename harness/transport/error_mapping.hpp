#pragma once
// Internal: turns Asio/Beast/OpenSSL error codes into error_info with a message a user can
// act on. where is "host:port".
#include <string>

#include "harness/transport/ws_connection.hpp"
#include "harness/transport/ws_stream.hpp"

namespace drover::transport::detail {

error_info connect_error(error_code ec, connect_stage stage, const std::string& detail, const std::string& where);
error_info upgrade_error(error_code ec, const upgrade_response& response, const std::string& where);
// A failure of an open connection's read, write, ping or close.
error_info stream_error(error_code ec, const std::string& where, std::size_t max_message);

std::string ms_text(std::chrono::milliseconds ms);  // "250 ms"

bool is_clean_close(error_code ec);  // the WebSocket closing handshake completed
bool is_drop(error_code ec);         // the TCP/TLS connection ended without a close frame

}  // namespace drover::transport::detail
