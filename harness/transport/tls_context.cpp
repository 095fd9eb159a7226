#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <openssl/x509.h>

#include "harness/common/error.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::transport {
namespace {

// True when dir holds certificates by subject hash ("1a2b3c4d.0", as c_rehash and Debian's
// update-ca-certificates make them), which OpenSSL reads one by one when a handshake needs one.
bool has_hashed_certificates(const std::string& dir) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() == 10 && name.compare(8, 2, ".0") == 0 &&
        name.find_first_not_of("0123456789abcdef") == 8)
      return true;
  }
  return false;
}

// The system's trusted CAs. set_default_verify_paths parses the whole bundle file (about 140
// certificates: some 240 million instructions, tens of milliseconds, measured with callgrind)
// in every worker of every run, ws:// only ones included. The hashed directory gives the same
// trust lazily. SSL_CERT_FILE set, or no hashed directory: the default paths, as before.
void trust_system_cas(boost::asio::ssl::context& ctx) {
  boost::system::error_code ec;
  const char* dir_env = std::getenv(X509_get_default_cert_dir_env());
  const char* file_env = std::getenv(X509_get_default_cert_file_env());
  const std::string dir = dir_env != nullptr ? dir_env : X509_get_default_cert_dir();
  if (file_env == nullptr && dir.find(':') == std::string::npos && has_hashed_certificates(dir)) {
    ctx.add_verify_path(dir, ec);
    if (!ec) return;
  }
  // Missing system defaults are not fatal: --ca or --insecure may still make TLS work.
  ctx.set_default_verify_paths(ec);
}

}  // namespace

std::unique_ptr<boost::asio::ssl::context> make_tls_context(const tls_options& options) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
  boost::system::error_code ec;
  trust_system_cas(*ctx);
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
