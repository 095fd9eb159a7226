// `drover run` flags through the real binary: --protocol and --validate (all, off) decide which
// messages are validated, --header reaches the upgrade request, and for wss:// a self-signed
// certificate is refused by default, trusted with --ca and accepted with --insecure.
// (In tests/conformance: tests/support/process.hpp and ws_test_server.hpp cannot share a
// translation unit, and these tests need the in-process server.)
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/conformance/child_process.hpp"
#include "tests/support/ws_test_server.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

std::string scenario(const std::string& name) { return root + "/tests/integration/scenarios/" + name; }

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string temp_dir(const std::string& name) {
  static int n = 0;
  auto dir = std::filesystem::temp_directory_path() /
             ("drover-run-flags-" + std::to_string(getpid()) + "-" + name + "-" + std::to_string(n++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

struct process_result {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
  std::string err;  // (empty: kept for the failure messages' shape)
};

process_result run_process(const std::vector<std::string>& argv) {
  std::string log = temp_dir("log") + "/console.txt";
  process_result r;
  r.exit_code = drover::testing::run_to_file(argv, log);
  r.out = read_file(log);
  return r;
}

// A fake started as `drover fake NAME --port 0 ARGS...`, stopped when this goes.
struct fake_process {
  drover::testing::child_process process;
  std::string port;
  fake_process(const std::string& name, std::vector<std::string> args)
      : process([&] {
          std::vector<std::string> argv = {drover, "fake", name, "--port", "0"};
          argv.insert(argv.end(), args.begin(), args.end());
          return argv;
        }()) {
    auto line = process.read_line(std::chrono::seconds(20));
    if (line && line->rfind("listening on ", 0) == 0) port = line->substr(line->rfind(':') + 1);
  }
  std::string url(const std::string& path) const { return "ws://127.0.0.1:" + port + path; }
};

boost::json::object summary_of(const std::string& dir) {
  return boost::json::parse(read_file(dir + "/summary.json")).as_object();
}

// Messages validated (sent + received) and violations found, from summary.json's "validation".
std::pair<long, long> validation_counts(const boost::json::object& doc) {
  const auto* v = doc.if_contains("validation");
  if (!v || !v->is_object()) return {0, 0};
  long messages = 0;
  for (const auto& m : v->at("messages").as_array()) messages += m.at("count").to_number<long>();
  return {messages, static_cast<long>(v->at("violations").as_array().size())};
}

TEST(CliFlags, ProtocolAndValidateDecideWhatIsValidated) {
  fake_process fake("wearable", {"--heartbeat-interval", "5000"});
  ASSERT_FALSE(fake.port.empty());
  auto run = [&](const std::string& query, std::vector<std::string> flags) {
    auto out = temp_dir("flags-validate");
    std::vector<std::string> argv = {drover, "run", scenario("wearable_identify.lua"), "--target", fake.url("/" + query),
                                     "--out", out, "--quiet"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return summary_of(out);
  };
  auto all = validation_counts(run("", {"--protocol", "wearable", "--validate", "all"}));
  EXPECT_GE(all.first, 3) << "HELLO, IDENTIFY and READY are validated";
  EXPECT_EQ(all.second, 0);

  auto bad_doc = run("?fault=hello-bad-interval", {"--protocol", "wearable", "--validate", "all"});
  auto bad = validation_counts(bad_doc);
  ASSERT_EQ(bad.second, 1) << boost::json::serialize(bad_doc.at("validation"));
  const auto& violation = bad_doc.at("validation").at("violations").as_array()[0];
  EXPECT_EQ(violation.at("pointer").as_string(), "/d/heartbeat_interval");
  EXPECT_EQ(violation.at("direction").as_string(), "received");

  auto off = validation_counts(run("?fault=hello-bad-interval", {"--protocol", "wearable", "--validate", "off"}));
  EXPECT_EQ(off, (std::pair<long, long>{0, 0})) << "--validate off validates nothing";
  auto none = validation_counts(run("?fault=hello-bad-interval", {}));
  EXPECT_EQ(none, (std::pair<long, long>{0, 0})) << "no --protocol, no validation";

  auto r = run_process({drover, "run", scenario("wearable_identify.lua"), "--target", fake.url("/"), "--protocol",
                        "no-such-protocol", "--quiet"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
}

TEST(CliFlags, HeaderReachesTheUpgradeRequest) {
  ws_test_server server;
  auto out = temp_dir("flags-header");
  auto r = run_process({drover, "run", scenario("one_round_trip.lua"), "--target", server.url("/hdr"), "--header",
                        "X-Drover-Test: 42", "--header", "X-Second: two words", "--out", out, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto request = server.last_request();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->header("X-Drover-Test"), "42");
  EXPECT_EQ(request->header("X-Second"), "two words");
  EXPECT_EQ(request->target, "/hdr");
}

struct cert_files {
  std::string cert, key;
};

cert_files self_signed(const std::string& dir) {
  cert_files c{dir + "/cert.pem", dir + "/key.pem"};
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout '" + c.key + "' -out '" + c.cert +
                    "' -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0 || !std::filesystem::exists(c.cert)) return {};
  return c;
}

TEST(CliFlags, CaTrustsASelfSignedCertificateAndInsecureSkipsTheCheck) {
  auto dir = temp_dir("flags-tls");
  auto cert = self_signed(dir);
  if (cert.cert.empty()) GTEST_SKIP() << "the openssl CLI could not make a certificate";
  ws_test_server server({.cert_file = cert.cert, .key_file = cert.key});
  ASSERT_EQ(server.url().rfind("wss://", 0), 0u);
  auto run = [&](std::vector<std::string> flags) {
    std::vector<std::string> argv = {drover, "run", scenario("one_round_trip.lua"), "--target", server.url(), "--out",
                                     dir + "/out", "--quiet"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return run_process(argv);
  };
  auto untrusted = run({});
  EXPECT_EQ(untrusted.exit_code, 3) << "an unverifiable certificate: unreachable\n" << untrusted.out << untrusted.err;
  auto trusted = run({"--ca", cert.cert});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out << trusted.err;
  auto insecure = run({"--insecure"});
  EXPECT_EQ(insecure.exit_code, 0) << insecure.out << insecure.err;
  EXPECT_EQ(server.messages_received(), 2u) << "only the trusted and the insecure runs got through";
}

}  // namespace
}  // namespace drover::test
