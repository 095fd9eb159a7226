// The Lua sandbox through the real binary: a scenario that writes a file or runs a process is
// refused (exit 2 at load, a Lua error naming the flag in a client) unless --allow-unsafe-lua;
// `drover conform --token-cmd` still works, since drover runs the user's command itself.
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

TEST(LuaSandbox, WritingAFileNeedsAllowUnsafeLua) {
  auto dir = temp_dir("sandbox");
  const std::string written = dir + "/written.txt";
  std::string script = dir + "/writer.lua";
  std::ofstream(script) << "local f = assert(io.open(env.OUT, 'w'))\nf:write('x')\nf:close()\nfunction client() end\n";
  auto refused = run_process({drover, "run", script, "--env", "OUT=" + written, "--out", dir + "/o1", "--quiet"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("io.open with mode \"w\" is disabled"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--allow-unsafe-lua"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(written));

  auto allowed = run_process(
      {drover, "run", script, "--env", "OUT=" + written, "--out", dir + "/o2", "--quiet", "--allow-unsafe-lua"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(read_file(written), "x");
  std::filesystem::remove_all(dir);
}

TEST(LuaSandbox, AClientRunningAProcessDiesOfALuaErrorNamingTheFlag) {
  auto dir = temp_dir("sandbox-client");
  std::string script = dir + "/exec.lua";
  std::ofstream(script) << "function client() os.execute('touch ' .. env.OUT) end\n";
  const std::string touched = dir + "/touched";
  auto r = run_process({drover, "run", script, "--env", "OUT=" + touched, "--out", dir + "/o"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("os.execute is disabled"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(touched));
  std::filesystem::remove_all(dir);
}

TEST(LuaSandbox, TokenCmdStillSuppliesTheSuitesTokens) {
  auto dir = temp_dir("sandbox-token-cmd");
  // Self-describing tokens the fake accepts, marked so the test can see they came from here.
  std::string cmd = dir + "/mint.sh";
  std::ofstream(cmd) << "#!/bin/sh\n"
                        "echo \"$*\" >> " << dir << "/calls\n"
                        "if [ \"$1\" = consumer ]; then echo \"dev:$2:cmd$$\"; else echo \"user:$2:$3:cmd$$\"; fi\n";
  std::filesystem::permissions(cmd, std::filesystem::perms::owner_all);
  fake_process fake("wearable", {"--heartbeat-interval", "300", "--identify-timeout", "600"});
  auto r = run_process({drover, "conform", "wearable", "--target", fake.url(), "--token-cmd", cmd, "--case",
                        "3.1,6.3", "--out", dir + "/o", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(dir + "/o/summary.json")).as_object();
  ASSERT_EQ(doc.at("cases").as_array().size(), 2u);
  // Not UNIMPLEMENTED ("not run: TOKEN_CMD gave no token"); 3.1 is INFORMATIONAL with one consumer per developer.
  for (const auto& c : doc.at("cases").as_array()) {
    std::string verdict(c.at("verdict").as_string());
    EXPECT_TRUE(verdict == "OK" || verdict == "INFORMATIONAL") << verdict << " " << c.at("findings");
  }
  std::string calls = read_file(dir + "/calls");
  EXPECT_NE(calls.find("consumer drv-"), std::string::npos) << calls;
  EXPECT_NE(calls.find("producer drv-"), std::string::npos) << calls;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace drover::test
