// The installed layout (README "Install"): `cmake --install` into a temporary prefix, then the
// installed bin/drover, started from another folder and (where root may make a mount namespace)
// with an empty tmpfs over the source tree, must find its data in ../share/drover, run
// `drover conform wearable` against the installed `drover fake wearable` and an example scenario
// against the installed echo fake;
// DROVER_ROOT wins when set, and DROVER_ROOT naming a folder without data is a usage error
// (exit 2), never a silent fallback.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <boost/json.hpp>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

namespace fs = std::filesystem;

std::string shq(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One install per test binary run: installing takes a second, the tests share it.
class Installed : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prefix_ = new std::string(temp_dir("install-prefix"));
    elsewhere_ = new std::string(temp_dir("install-cwd"));
    const std::string build_dir = fs::path(DROVER_BINARY).parent_path().string();
    // The build lock (dbuild) keeps a concurrent rebuild from swapping the binary mid-copy.
    install_ = new process_result(run_process(
        {"/usr/bin/flock", "-w", "240", "/tmp/drover-build.lock", "cmake", "--install", build_dir, "--prefix", *prefix_},
        std::chrono::seconds(270)));  // under the test's ctest TIMEOUT of 300 s
    // Where root may make mount namespaces (here, CI), the installed drover runs with an empty
    // tmpfs over the source tree, so that no lookup can reach it; elsewhere it runs beside it.
    const std::string src = DROVER_SOURCE_ROOT;
    const bool apart = prefix_->rfind(src + "/", 0) != 0 && elsewhere_->rfind(src + "/", 0) != 0;
    hidden_ = apart && run_process({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                                    "mount -t tmpfs tmpfs " + shq(src) + " && test -z \"$(ls -A " + shq(src) + ")\""},
                                   std::chrono::seconds(30))
                               .exit_code == 0;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*prefix_);
    fs::remove_all(*elsewhere_);
    delete prefix_;
    delete elsewhere_;
    delete install_;
  }
  void SetUp() override { ASSERT_EQ(install_->exit_code, 0) << install_->out << install_->err; }

  static std::string bin() { return *prefix_ + "/bin/drover"; }
  static std::string share() { return *prefix_ + "/share/drover"; }

  // The installed drover, run with its working directory in an unrelated folder and without
  // DROVER_ROOT / DROVER_SCHEMAS unless env_prefix sets them.
  static process_result drover(const std::vector<std::string>& args, const std::string& env_prefix = "",
                               std::chrono::seconds timeout = std::chrono::seconds(120)) {
    std::string cmd = "cd " + shq(*elsewhere_) + " && exec env -u DROVER_ROOT -u DROVER_SCHEMAS -u DROVER_LUA_PATH " +
                      env_prefix + " " + shq(bin());
    for (const auto& a : args) cmd += " " + shq(a);
    if (!hidden_) return run_process({"/bin/sh", "-c", cmd}, timeout);
    cmd = "mount -t tmpfs tmpfs " + shq(DROVER_SOURCE_ROOT) + " && " + cmd;
    return run_process({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", cmd}, timeout);
  }

  // An installed fake, started from the unrelated folder; stopped by pid with its handle.
  struct fake {
    std::unique_ptr<child_process> process;
    int port = 0;
  };
  static fake start_fake(const std::string& name, const std::vector<std::string>& args = {}) {
    std::string cmd = "cd " + shq(*elsewhere_) + " && exec env -u DROVER_ROOT " + shq(bin()) + " fake " + name +
                      " --port 0";
    for (const auto& a : args) cmd += " " + shq(a);
    fake f;
    f.process = std::make_unique<child_process>(std::vector<std::string>{"/bin/sh", "-c", cmd});
    auto line = f.process->wait_for_line("listening on ", std::chrono::seconds(20));
    if (auto colon = line.rfind(':'); !line.empty() && colon != std::string::npos) f.port = std::stoi(line.substr(colon + 1));
    return f;
  }

  static std::string* prefix_;
  static std::string* elsewhere_;
  static process_result* install_;
  static bool hidden_;
};
bool Installed::hidden_ = false;
std::string* Installed::prefix_ = nullptr;
std::string* Installed::elsewhere_ = nullptr;
process_result* Installed::install_ = nullptr;

boost::json::object summary(const std::string& dir) {
  return boost::json::parse(read_file(dir + "/summary.json")).as_object();
}

TEST_F(Installed, LayoutHasBinaryAndData) {
  EXPECT_TRUE(fs::is_regular_file(bin()));
  for (const char* p : {"schemas/wearable/protocol.json", "schemas/harness/summary.schema.json",
                        "scenarios/wearable/suite.lua", "scenarios/examples/echo.lua", "scenarios/lib",
                        "docs/protocols/wearable.md"})
    EXPECT_TRUE(fs::exists(fs::path(share()) / p)) << p;
  auto v = drover({"version"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  // The data root is the installed share/drover, not the source tree.
  EXPECT_NE(v.out.find("data: " + fs::weakly_canonical(share()).string()), std::string::npos) << v.out;
  EXPECT_EQ(v.out.find(DROVER_SOURCE_ROOT), std::string::npos) << v.out;
}

// A Lua module that exists only in the installed scenarios/lib: a scenario elsewhere can
// require it only if the module path comes from share/drover.
TEST_F(Installed, LuaLibraryComesFromShareDroverUnlessDroverRootWins) {
  // Another data folder without the marker, for DROVER_ROOT below.
  const std::string other_root = *elsewhere_ + "/other-root";
  fs::copy(share(), other_root, fs::copy_options::recursive);
  {
    std::ofstream(share() + "/scenarios/lib/install_marker.lua") << "return { where = 'installed' }\n";
  }
  const std::string script = *elsewhere_ + "/marker.lua";
  std::ofstream(script) << "local m = require('install_marker')\n"
                           "options = { vus = 1, iterations = 1, duration = '5s' }\n"
                           "function client() check('installed lib', m.where == 'installed') end\n";
  const std::string out = *elsewhere_ + "/marker-out";
  auto r = drover({"run", script, "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  // DROVER_ROOT wins over the installed copy: the other folder has no install_marker module.
  r = drover({"run", script, "--out", out, "--quiet"}, "DROVER_ROOT=" + shq(other_root));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("install_marker"), std::string::npos) << r.err;
  fs::remove(share() + "/scenarios/lib/install_marker.lua");
}

TEST_F(Installed, SourceTreeIsHiddenFromTheInstalledBinary) {
  if (!hidden_) GTEST_SKIP() << "no mount namespace here (needs root): the other tests ran beside the source tree";
  std::string cmd = "mount -t tmpfs tmpfs " + shq(DROVER_SOURCE_ROOT) + " && ls -A " + shq(DROVER_SOURCE_ROOT) +
                    " | wc -l && " + shq(bin()) + " version";
  auto r = run_process({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", cmd});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("0\n", 0), 0u) << r.out;  // nothing of the source tree is visible
  EXPECT_NE(r.out.find("data: " + fs::weakly_canonical(share()).string()), std::string::npos) << r.out;
}

// Without the installed data (and, where possible, the source tree hidden) the error names
// every place searched.
TEST_F(Installed, NoDataAnywhereNamesTheSearchedPlaces) {
  if (!hidden_) GTEST_SKIP() << "no mount namespace here (needs root): the source tree would be found";
  fs::rename(share(), share() + ".off");
  auto r = drover({"protocols"});
  fs::rename(share() + ".off", share());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot find drover's data"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(fs::weakly_canonical(share()).string() + " (installed)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(std::string(DROVER_SOURCE_ROOT) + " (source tree)"), std::string::npos) << r.err;
}

TEST_F(Installed, DroverRootPointingNowhereIsAUsageError) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"protocols"}, {"conform", "wearable", "--target", "ws://127.0.0.1:1/"}}) {
    auto r = drover(args, "DROVER_ROOT=/nonexistent/drover-data");
    EXPECT_EQ(r.exit_code, 2) << args.front() << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("DROVER_ROOT=/nonexistent/drover-data"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(Installed, ConformWearableAgainstInstalledFake) {
  // The timers of tests/conformance/wearable_cli_test.cpp: short, with room for a sanitizer build.
  auto f = start_fake("wearable", {"--threads", "2", "--heartbeat-interval", "500", "--identify-timeout", "1000",
                                   "--consumer-limit", "2"});
  ASSERT_GT(f.port, 0);
  const std::string out = *elsewhere_ + "/conform-out";
  auto r = drover({"conform", "wearable", "--target", "ws://127.0.0.1:" + std::to_string(f.port) + "/", "--env",
                   "IDENTIFY_TIMEOUT_MS=1000", "--out", out, "--quiet"},
                  "", std::chrono::seconds(180));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = summary(out);
  // The suite that ran is the installed one.
  EXPECT_EQ(std::string(doc.at("run").at("scenario").as_string()).rfind(share(), 0), 0u) << doc.at("run");
  const auto& cases = doc.at("cases").as_array();
  EXPECT_GE(cases.size(), 20u);
  for (const auto& c : cases) EXPECT_NE(c.at("verdict").as_string(), "FAILED") << c;
  EXPECT_EQ(doc.at("outcome").at("status").as_string(), "passed");
  f.process->signal(SIGTERM);
  EXPECT_EQ(f.process->wait(std::chrono::seconds(10)), 0);
}

TEST_F(Installed, ExampleScenarioAgainstInstalledEchoFake) {
  auto f = start_fake("echo");
  ASSERT_GT(f.port, 0);
  const std::string out = *elsewhere_ + "/echo-out";
  auto r = drover({"run", share() + "/scenarios/examples/echo.lua", "--target",
                   "ws://127.0.0.1:" + std::to_string(f.port) + "/", "--vus", "4", "--duration", "2s", "--ramp-up",
                   "0s", "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = summary(out);
  EXPECT_GT(doc.at("metrics").at("echo_rtt").at("count").to_number<double>(), 10);
  EXPECT_EQ(doc.at("outcome").at("status").as_string(), "passed");
  EXPECT_TRUE(fs::exists(out + "/report.html"));
  EXPECT_TRUE(fs::exists(out + "/junit.xml"));
  f.process->signal(SIGTERM);
  EXPECT_EQ(f.process->wait(std::chrono::seconds(10)), 0);
}

// `cpack -G DEB` builds a package whose Depends name the Debian package of every shared library
// the packaged binary links (dpkg -S on what ldd lists), and whose unpacked tree runs: the
// binary finds usr/share/drover next to usr/bin.
TEST(DebianPackage, DependsCoverLinkedLibrariesAndTheTreeRuns) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // A package is made from a release build: a sanitizer build links its runtime and, under
  // clang's Debug configuration, Boost libraries the release binary does not (libboost_container).
  GTEST_SKIP() << "the Debian package is tested in the release build (test.sh's first half)";
#endif
  const std::string dir = temp_dir("deb");
  const std::string build_dir = fs::path(DROVER_BINARY).parent_path().string();
  auto r = run_process({"/usr/bin/flock", "-w", "240", "/tmp/drover-build.lock", "cpack", "--config",
                        build_dir + "/CPackConfig.cmake", "-G", "DEB", "-B", dir},
                       std::chrono::seconds(270));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string deb;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".deb") deb = e.path().string();
  ASSERT_FALSE(deb.empty()) << r.out;

  auto field = [&](const std::string& name) {
    auto f = run_process({"/usr/bin/dpkg-deb", "-f", deb, name});
    EXPECT_EQ(f.exit_code, 0) << f.err;
    return f.out;
  };
  EXPECT_EQ(field("Package"), "drover\n");
  const std::string depends = field("Depends");
  ASSERT_EQ(run_process({"/usr/bin/dpkg-deb", "-x", deb, dir + "/root"}).exit_code, 0);
  const std::string binary = dir + "/root/usr/bin/drover";

  auto ldd = run_process({"/usr/bin/ldd", binary});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  std::istringstream lines(ldd.out);
  int libraries = 0;
  for (std::string line; std::getline(lines, line);) {
    auto arrow = line.find("=> /");
    if (arrow == std::string::npos) continue;
    std::string path = line.substr(arrow + 3, line.find(' ', arrow + 3) - (arrow + 3));
    // A sanitizer build's binary links GCC's sanitizer runtimes; a shipped package is a release build.
    const auto file = fs::path(path).filename().string();
    if (file.rfind("libasan", 0) == 0 || file.rfind("libubsan", 0) == 0 || file.rfind("libtsan", 0) == 0 ||
        file.rfind("liblsan", 0) == 0)
      continue;
    auto owner = run_process({"/usr/bin/dpkg", "-S", path});
    if (owner.exit_code != 0) owner = run_process({"/usr/bin/dpkg", "-S", fs::canonical(path).string()});
    ASSERT_EQ(owner.exit_code, 0) << path << ": " << owner.err;
    std::string package = owner.out.substr(0, owner.out.find_first_of(":"));
    EXPECT_NE(depends.find(package), std::string::npos) << path << " comes from " << package << ", Depends: " << depends;
    ++libraries;
  }
  EXPECT_GE(libraries, 5) << ldd.out;  // lua, boost json and url, ssl, crypto, libstdc++, ...

  auto v = run_process({"/bin/sh", "-c", "cd / && exec env -u DROVER_ROOT -u DROVER_SCHEMAS " + shq(binary) + " version"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("data: " + fs::canonical(dir).string() + "/root/usr/share/drover"), std::string::npos) << v.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace drover::test
