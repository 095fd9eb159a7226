// `drover fake hostile` modes about flow rather than bytes: a server that stops reading, one
// that floods pings, one that answers in binary. Limits in tests/integration/hostile_support.hpp.
#include <gtest/gtest.h>

#include "tests/integration/hostile_support.hpp"

namespace drover::test::hostile {
namespace {

TEST(HostileFlow, NeverReadingServerMakesSendsTimeOutNotGrow) {
  // Each hostile client sends 256 KiB messages back to back (up to 100 MB) to a server that
  // never reads: once the TCP buffers are full a send blocks and fails after the 10 s write
  // timeout. Memory stays under 64 MiB because a send waits for its frame to be written.
  auto p = probe("never-read", {.env = {"SENDS=400", "SEND_BYTES=262144", "RECV_MS=0"}});
  expect_sound(p.run, {0}, std::chrono::milliseconds(20'000), "run");
  EXPECT_EQ(error_count(p.run.summary, "write_timeout"), 3u) << error_kinds(p.run.summary);
  EXPECT_EQ(counter(p.run.summary, "hostile_send_write_timeout"), 3);
  EXPECT_GE(p.run.elapsed, std::chrono::milliseconds(9'500)) << "the write timeout is 10 s";
  expect_echo_unharmed(p.run, 3);
  // The suite's messages are small: they fit in the buffers, and its cases end on their own
  // timers (no HELLO), each closing a connection whose close is never answered.
  expect_conform_reports(p.conform, "close_timeout", 1);
}

TEST(HostileFlow, PingFloodIsAnsweredAndBoundedAndEchoesStillArrive) {
  // 10,000 pings/s (5,000+ reach drover on this machine) for 4 s per connection: no error, every
  // echo arrives between the pings, and the kept ping times stay bounded (the transport keeps
  // fewer than 20,000 per connection, so more than that arrived whenever the cap was needed).
  auto p = probe("ping-flood", {.env = {"HOLD_MS=4000"}});
  expect_sound(p.run, {0}, run_limit, "run");
  EXPECT_EQ(error_kinds(p.run.summary), "(none)");
  EXPECT_EQ(counter(p.run.summary, "hostile_recv_text"), 9);
  double pings = counter(p.run.summary, "hostile_server_pings");
  EXPECT_GE(pings, 3 * 500) << "the flood reached drover (a loaded or sanitized fake sends fewer)";
  EXPECT_LT(pings, 3 * 20'000) << "ping arrival times are bounded per connection";
  expect_echo_unharmed(p.run, 3);
  // No HELLO ever comes: cases fail or are not judged, none errs in the transport.
  expect_sound(p.conform, {1}, conform_limit, "conform wearable");
  EXPECT_EQ(error_kinds(p.conform.summary), "(none)");
}

TEST(HostileFlow, BinaryFramesReachTheScriptAsBinary) {
  auto p = probe("binary-instead-of-text");
  expect_sound(p.run, {0}, run_limit, "run");
  // Not a transport error: the script sees is_binary and judges it (hello + 3 echoes, the
  // first recv takes the hello).
  EXPECT_EQ(error_kinds(p.run.summary), "(none)");
  EXPECT_EQ(counter(p.run.summary, "hostile_recv_binary"), 9);
  expect_echo_unharmed(p.run, 3);
  // The suite reads HELLO as text only: it never sees one, and fails.
  expect_sound(p.conform, {1}, conform_limit, "conform wearable");
}

}  // namespace
}  // namespace drover::test::hostile
