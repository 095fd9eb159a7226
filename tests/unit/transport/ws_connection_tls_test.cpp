// wss:// against a self-signed certificate made at test time with the openssl CLI:
// verification is on by default, a CA file makes the certificate trusted, --insecure skips it,
// and the host name is checked against the certificate.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/common/error.hpp"
#include "tests/support/ws_test_server.hpp"
#include "tests/unit/transport/sync_client.hpp"

namespace drover::transport::testing {
namespace {

namespace fs = std::filesystem;

struct cert_pair {
  std::string cert;
  std::string key;
};

class WsConnectionTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/drover-tls-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    localhost_ = make_cert("localhost", "DNS:localhost,IP:127.0.0.1");
    other_ = make_cert("other.test", "DNS:other.test");
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  void SetUp() override {
    if (localhost_.cert.empty() || other_.cert.empty()) GTEST_SKIP() << "the openssl CLI could not make a certificate";
  }

  static cert_pair make_cert(const std::string& name, const std::string& san) {
    cert_pair p{(dir_ / (name + ".pem")).string(), (dir_ / (name + ".key")).string()};
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout '" + p.key + "' -out '" + p.cert +
                      "' -subj /CN=" + name + " -addext subjectAltName=" + san + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0 || !fs::exists(p.cert)) return {};
    return p;
  }

  static test::ws_server_options serving(const cert_pair& p) {
    test::ws_server_options options;
    options.cert_file = p.cert;
    options.key_file = p.key;
    return options;
  }

  static inline fs::path dir_;
  static inline cert_pair localhost_;
  static inline cert_pair other_;
};

TEST_F(WsConnectionTls, SelfSignedCertificateIsRejectedByDefault) {
  test::ws_test_server server(serving(localhost_));
  auto tls = make_tls_context({});
  sync_client c(nullptr, tls.get());
  auto r = c.connect(server.url("/", "localhost"));
  EXPECT_EQ(r.error.kind, error_kind::tls) << r.error.message;
  EXPECT_NE(r.error.message.find("certificate"), std::string::npos) << r.error.message;
}

TEST_F(WsConnectionTls, CaFileMakesTheCertificateTrusted) {
  test::ws_test_server server(serving(localhost_));
  auto tls = make_tls_context({false, localhost_.cert});
  for (const char* host : {"localhost", "127.0.0.1"}) {
    sync_client c(nullptr, tls.get());
    auto r = c.connect(server.url("/", host));
    ASSERT_FALSE(r.error) << host << ": " << r.error.message;
    EXPECT_FALSE(c.send("secret"));
    EXPECT_EQ(c.recv().second.payload, "secret");
    EXPECT_FALSE(c.close(1000, ""));
  }
}

TEST_F(WsConnectionTls, HostNameMustMatchTheCertificate) {
  test::ws_test_server server(serving(other_));
  auto tls = make_tls_context({false, other_.cert});
  sync_client c(nullptr, tls.get());
  auto r = c.connect(server.url("/", "127.0.0.1"));
  EXPECT_EQ(r.error.kind, error_kind::tls) << r.error.message;
}

TEST_F(WsConnectionTls, InsecureSkipsVerification) {
  test::ws_test_server server(serving(other_));
  auto tls = make_tls_context({true, {}});
  sync_client c(nullptr, tls.get());
  auto r = c.connect(server.url("/", "127.0.0.1"));
  ASSERT_FALSE(r.error) << r.error.message;
  EXPECT_FALSE(c.send("hi"));
  EXPECT_EQ(c.recv().second.payload, "hi");
}

TEST(WsConnectionTlsContext, UnreadableCaFileIsAUsageError) {
  EXPECT_THROW(make_tls_context({false, "/nonexistent/drover-ca.pem"}), usage_error);
}

}  // namespace
}  // namespace drover::transport::testing
