// `drover fake hostile` itself: the mode list and its usage errors.
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string drover = DROVER_BINARY;

TEST(HostileCli, ListModesPrintsEveryModeWithWhatDroverMustReport) {
  auto r = run_process({drover, "fake", "hostile", "--list-modes"}, std::chrono::seconds(10));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = "\n" + r.out;
  for (const char* mode : {"slow-upgrade", "bad-upgrade", "bad-accept", "trickle", "never-read", "rst-mid-frame",
                           "oversized", "invalid-utf8", "fragmented-control", "ping-flood", "close-storm",
                           "unasked-compression", "binary-instead-of-text", "half-close", "tls-expired",
                           "tls-wrong-host", "tls-stall", "tls-oversized"})
    EXPECT_NE(text.find(std::string("\n") + mode + " "), std::string::npos) << mode << "\n" << r.out;
  std::size_t lines = 0;
  for (char c : r.out) lines += c == '\n';
  EXPECT_EQ(lines, 18u) << "one line per mode";
  EXPECT_EQ(r.out.find("drover reports"), r.out.find("->") + 3);
}

TEST(HostileCli, UnknownOrMissingModeIsAUsageError) {
  auto unknown = run_process({drover, "fake", "hostile", "--mode", "polite", "--port", "0"}, std::chrono::seconds(10));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown mode 'polite'"), std::string::npos) << unknown.err;
  auto missing = run_process({drover, "fake", "hostile", "--port", "0"}, std::chrono::seconds(10));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--mode is required"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace drover::test
