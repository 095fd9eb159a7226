// `drover fake hostile` wss modes. The fake makes its certificate at start and writes it with
// --cert-out; drover trusts it with --ca, so only the mode's flaw is left to fail.
#include <gtest/gtest.h>

#include "tests/integration/hostile_support.hpp"

namespace drover::test::hostile {
namespace {

void expect_tls_refused(const std::string& mode, const std::string& detail) {
  auto p = probe(mode, {.tls = true, .trust_cert = true});
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_count(p.run.summary, "tls"), 3u) << error_kinds(p.run.summary);
  EXPECT_NE(error_sample(p.run.summary, "tls").find(detail), std::string::npos) << error_sample(p.run.summary, "tls");
  expect_echo_unharmed(p.run, 3);
  expect_conform_reports(p.conform, "tls", 3);
}

TEST(HostileTls, ExpiredCertificateIsATlsErrorEvenWhenTrusted) { expect_tls_refused("tls-expired", "expired"); }

TEST(HostileTls, CertificateForAnotherHostIsATlsError) { expect_tls_refused("tls-wrong-host", "mismatch"); }

TEST(HostileTls, StalledTlsHandshakeIsAConnectTimeout) {
  auto p = probe("tls-stall", {.tls = true});
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_count(p.run.summary, "connect_timeout"), 3u) << error_kinds(p.run.summary);
  EXPECT_GE(p.run.elapsed, std::chrono::milliseconds(1900)) << "the 2 s timeout was honoured";
  expect_echo_unharmed(p.run, 3);
  expect_conform_reports(p.conform, "connect_timeout", 3);
}

TEST(HostileTls, OversizedFrameOverTlsIsMessageTooBigWhenTheServerIgnoresCloseNotify) {
  // The server sends a 100 MB frame header over TLS and answers neither drover's close frame nor
  // its close_notify: drover reports the frame's fault (not a reset) after the 0.5 s teardown grace,
  // before the suite's 1 s close timeout.
  auto p = probe("tls-oversized", {.tls = true, .trust_cert = true});
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_count(p.run.summary, "message_too_big"), 3u) << error_kinds(p.run.summary);
  EXPECT_EQ(error_count(p.run.summary, "write_timeout") + error_count(p.run.summary, "reset"), 0u)
      << error_kinds(p.run.summary);
  expect_echo_unharmed(p.run, 3);
  expect_conform_reports(p.conform, "message_too_big", 1);
}

}  // namespace
}  // namespace drover::test::hostile
