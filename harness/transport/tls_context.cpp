#include <fstream>

#include <boost/asio/ssl/context.hpp>

#include "harness/common/error.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::transport {

std::unique_ptr<boost::asio::ssl::context> make_tls_context(const tls_options& options) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
  boost::system::error_code ec;
  // Missing system defaults are not fatal: --ca or --insecure may still make TLS work.
  ctx->set_default_verify_paths(ec);
  if (!options.ca_file.empty()) {
    if (!std::ifstream(options.ca_file).good())
      throw usage_error("cannot read the CA file '" + options.ca_file + "'");
    ctx->load_verify_file(options.ca_file, ec);
    if (ec)
      throw usage_error("the CA file '" + options.ca_file + "' holds no usable PEM certificate (" + ec.message() +
                        ")");
  }
  // Host name checks are set per connection (tls_step in ws_stream_tls.cpp) when verifying.
  ctx->set_verify_mode(options.insecure ? ssl::verify_none : ssl::verify_peer);
  return ctx;
}

}  // namespace drover::transport
