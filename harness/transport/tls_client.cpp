#include "harness/transport/tls_client.hpp"

#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace drover::transport::detail {

void prepare_tls_client(SSL* ssl, const std::string& host) {
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(host, not_ip);
  if (not_ip) SSL_set_tlsext_host_name(ssl, host.c_str());
  if (SSL_get_verify_mode(ssl) == SSL_VERIFY_NONE) return;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (not_ip) {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  }
}

std::string tls_verify_failure(SSL* ssl) {
  long verify = SSL_get_verify_result(ssl);
  return verify == X509_V_OK ? std::string() : X509_verify_cert_error_string(verify);
}

}  // namespace drover::transport::detail
