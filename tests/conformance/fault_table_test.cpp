// The fault-table reader: the table under the right heading, the "cases that must fail"
// column wherever it is, backticks and escaped bars, TBD as "no case yet".
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/conformance/fault_table.hpp"

namespace {

std::string write_readme(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("drover-fault-table-" + std::to_string(getpid()) + ".md");
  std::ofstream(path) << text;
  return path.string();
}

TEST(FaultTable, ReadsTheCasesColumnOfTheNamedSection) {
  auto path = write_readme(
      "# Fakes\n\n## echo\n\n| fault | what | cases that must fail |\n| --- | --- | --- |\n| `x` | no | 9.9 |\n\n"
      "## wearable (protocol 001)\n\n| flag | default |\n| --- | --- |\n| `--port` | 0 |\n\n"
      "| fault | what the fake does | cases that must fail | notes |\n| --- | --- | --- | --- |\n"
      "| `no-ack` | never \\| acks | 2.1 | a |\n"
      "| `wrong-close:4001` | 4999 | `6.2`, `6.3`, 6.4 | b |\n"
      "| `new-fault` | later | TBD | c |\n\nText after.\n\n## next\n");
  auto rows = drover::testing::read_fault_table(path, "## wearable");
  std::filesystem::remove(path);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fault, "no-ack");
  EXPECT_EQ(rows[0].cases, (std::vector<std::string>{"2.1"}));
  EXPECT_EQ(rows[1].fault, "wrong-close:4001");
  EXPECT_EQ(rows[1].cases, (std::vector<std::string>{"6.2", "6.3", "6.4"}));
  EXPECT_EQ(rows[2].fault, "new-fault");
  EXPECT_TRUE(rows[2].cases.empty());
}

TEST(FaultTable, MissingTableIsAnError) {
  auto path = write_readme("## wearable\n\n| fault | what |\n| --- | --- |\n| `a` | b |\n");
  EXPECT_THROW(drover::testing::read_fault_table(path, "## wearable"), std::runtime_error);
  std::filesystem::remove(path);
  EXPECT_THROW(drover::testing::read_fault_table(path, "## wearable"), std::runtime_error);
}

}  // namespace
