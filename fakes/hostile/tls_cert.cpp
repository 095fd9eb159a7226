// A self-signed certificate made at start with OpenSSL's C API, so that no private key is ever
// committed: expired for tls-expired, for another host name for tls-wrong-host, valid for
// 127.0.0.1 otherwise.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <boost/asio/buffer.hpp>

#include "fakes/hostile/serve.hpp"

namespace drover::fakes::hostile {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("cannot make the test certificate: ") + what);
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  require(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

std::string to_pem(const std::function<int(BIO*)>& write) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  require(bio && write(bio.get()) == 1, "PEM");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

std::unique_ptr<boost::asio::ssl::context> make_server_tls(hostile_mode mode, std::string& cert_pem) {
  bool expired = mode == hostile_mode::tls_expired;
  bool right_host = mode != hostile_mode::tls_wrong_host;
  pkey_ptr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "key");
  x509_ptr cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), expired ? 1001 : right_host ? 1003 : 1002);
  constexpr long day = 24 * 3600;
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), expired ? -30 * day : -day);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), expired ? -day : 30 * day);
  X509_set_pubkey(cert.get(), key.get());
  const char* cn = right_host ? "127.0.0.1" : "wrong-host.invalid";
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  // Self-signed and trusted with --ca: it is its own CA. Only the flaw of the mode remains.
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_alt_name,
                right_host ? "IP:127.0.0.1,DNS:localhost" : "DNS:wrong-host.invalid");
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign");

  cert_pem = to_pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
  std::string key_pem =
      to_pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->use_certificate_chain(boost::asio::buffer(cert_pem));
  ctx->use_private_key(boost::asio::buffer(key_pem), ssl::context::pem);
  return ctx;
}

}  // namespace drover::fakes::hostile
