// `drover fake hostile` modes that break the HTTP upgrade: drover run and drover conform
// against each (tests/integration/hostile_support.hpp states the limits: time, exit codes, RSS).
#include <gtest/gtest.h>

#include "tests/integration/hostile_support.hpp"

namespace drover::test::hostile {
namespace {

TEST(HostileUpgrade, SlowUpgradeIsAHandshakeTimeoutAtTheConfiguredLimit) {
  auto p = probe("slow-upgrade");
  // --connect-timeout 2s: each hostile client gives up after 2 s, all at once.
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_count(p.run.summary, "handshake_timeout"), 3u) << error_kinds(p.run.summary);
  EXPECT_EQ(counter(p.run.summary, "hostile_connect_handshake_timeout"), 3);
  EXPECT_GE(p.run.elapsed, std::chrono::milliseconds(1900)) << "the 2 s timeout was honoured, not cut short";
  expect_echo_unharmed(p.run, 3);
  // No case can connect: unreachable (3), every case's client names the timeout.
  expect_conform_reports(p.conform, "handshake_timeout", 3);
}

TEST(HostileUpgrade, MissingUpgradeHeadersAreAProtocolError) {
  auto p = probe("bad-upgrade");
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_count(p.run.summary, "protocol"), 3u) << error_kinds(p.run.summary);
  EXPECT_EQ(counter(p.run.summary, "hostile_connect_protocol"), 3);
  expect_echo_unharmed(p.run, 3);
  expect_conform_reports(p.conform, "protocol", 3);
}

TEST(HostileUpgrade, WrongAcceptKeyIsAProtocolError) {
  auto p = probe("bad-accept");
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_count(p.run.summary, "protocol"), 3u) << error_kinds(p.run.summary);
  EXPECT_EQ(counter(p.run.summary, "hostile_connect_protocol"), 3);
  expect_echo_unharmed(p.run, 3);
  expect_conform_reports(p.conform, "protocol", 3);
}

}  // namespace
}  // namespace drover::test::hostile
