#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "harness/common/error.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("drover_reporting_" + name);
  fs::remove_all(dir);
  return dir;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteOutputs, CreatesTheDirectoryAndTheThreeFiles) {
  const fs::path dir = fresh_dir("outputs") / "nested" / "out";
  const auto doc = testing::sample_run_document();
  write_outputs(doc, dir);
  EXPECT_EQ(read(dir / "summary.json"), render_json(doc));
  EXPECT_EQ(read(dir / "report.html"), render_html(doc));
  EXPECT_EQ(read(dir / "junit.xml"), render_junit(doc));
  fs::remove_all(dir.parent_path().parent_path());
}

TEST(WriteOutputs, ThrowsFileErrorNamingTheDirectory) {
  const fs::path base = fresh_dir("blocked");
  fs::create_directories(base);
  std::ofstream(base / "a_file") << "x";
  try {
    write_outputs(testing::sample_run_document(), base / "a_file" / "out");
    FAIL() << "expected file_error";
  } catch (const file_error& e) {
    EXPECT_NE(std::string(e.what()).find((base / "a_file" / "out").string()), std::string::npos) << e.what();
  }
  fs::remove_all(base);
}

TEST(WriteOutputs, ThrowsFileErrorNamingTheFile) {
  const fs::path dir = fresh_dir("unwritable");
  fs::create_directories(dir / "report.html");  // a directory where the file should go
  try {
    write_outputs(testing::sample_run_document(), dir);
    FAIL() << "expected file_error";
  } catch (const file_error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "report.html").string()), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace drover::reporting
