// `drover conform wearable` flags through the real binary against the wearable fake: --case
// selects exactly the cases it names, --token-file and --token-cmd supply every token (the
// fake accepts only those), and a token source that runs dry makes cases UNIMPLEMENTED, not
// FAILED.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/conformance/child_process.hpp"
#include "tests/conformance/rule_coverage.hpp"

namespace {

namespace fs = std::filesystem;
using drover::testing::child_process;

const std::string root = DROVER_SOURCE_ROOT;

struct fake {
  child_process process;
  std::string port;
  explicit fake(std::vector<std::string> extra = {})
      : process([&] {
          std::vector<std::string> argv = {DROVER_BINARY, "fake", "wearable", "--port", "0", "--threads", "2",
                                           "--heartbeat-interval", "500", "--identify-timeout", "1000",
                                           "--consumer-limit", "2"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    auto line = process.read_line(std::chrono::seconds(20));
    if (line && line->rfind("listening on ", 0) == 0) port = line->substr(line->rfind(':') + 1);
  }
  std::string url() const { return "ws://127.0.0.1:" + port + "/"; }
};

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("drover-wearable-cli-" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct outcome {
  int exit_code = -1;
  std::map<std::string, std::string> verdicts;
  std::map<std::string, std::string> findings;  // case id -> every finding's message, joined
  std::string log;
};

outcome conform(const fake& f, const fs::path& out, std::vector<std::string> extra) {
  std::vector<std::string> argv = {DROVER_BINARY, "conform", "wearable", "--target", f.url(), "--out", out.string(),
                                   "--env", "IDENTIFY_TIMEOUT_MS=1000", "--suite",
                                   root + "/scenarios/wearable/suite.lua"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  fs::create_directories(out);
  outcome o;
  o.exit_code = drover::testing::run_to_file(argv, (out / "console.txt").string());
  std::ifstream log(out / "console.txt");
  std::stringstream text;
  text << log.rdbuf();
  o.log = text.str();
  std::ifstream in(out / "summary.json");
  std::stringstream summary;
  summary << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(summary.str(), ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("cases")) return o;
  for (const auto& c : doc.at("cases").as_array()) {
    std::string id(c.at("id").as_string());
    o.verdicts[id] = std::string(c.at("verdict").as_string());
    for (const auto& f : c.at("findings").as_array()) o.findings[id] += std::string(f.at("message").as_string()) + "\n";
  }
  return o;
}

std::set<std::string> ids_of(const outcome& o) {
  std::set<std::string> out;
  for (const auto& [id, v] : o.verdicts) out.insert(id);
  return out;
}

std::set<std::string> verdict_set(const outcome& o) {
  std::set<std::string> out;
  for (const auto& [id, v] : o.verdicts) out.insert(v);
  return out;
}

TEST(WearableCli, CaseSelectsByPatternGroupAndList) {
  fake f;
  ASSERT_FALSE(f.port.empty());
  auto by_pattern = conform(f, fresh_dir("pattern"), {"--case", "2.*"});
  EXPECT_EQ(ids_of(by_pattern), (std::set<std::string>{"2.1", "2.2", "2.3"})) << by_pattern.log;
  EXPECT_EQ(verdict_set(by_pattern), std::set<std::string>{"OK"}) << by_pattern.log;
  auto by_list = conform(f, fresh_dir("list"), {"--case", "1.1,3.4"});
  EXPECT_EQ(ids_of(by_list), (std::set<std::string>{"1.1", "3.4"})) << by_list.log;
  auto by_group = conform(f, fresh_dir("group"), {"--case", "routing"});
  EXPECT_EQ(ids_of(by_group), (std::set<std::string>{"3.1", "3.2", "3.3", "3.4"})) << by_group.log;
  EXPECT_EQ(by_group.exit_code, 0) << by_group.log;
}

// The fake knows only the tokens of its --tokens file, so READY proves the suite used the file's.
TEST(WearableCli, TokenFileSuppliesTheTokensAndRunningDryIsUnimplemented) {
  auto dir = fresh_dir("token-file");
  boost::json::object fake_tokens, consumers, producers;
  for (const char* dev : {"acme", "globex"}) {
    boost::json::array c, p;
    for (int i = 0; i < 4; ++i) {
      std::string ct = std::string("c-") + dev + "-" + std::to_string(i);
      std::string pt = std::string("p-") + dev + "-" + std::to_string(i);
      c.push_back(boost::json::string(ct));
      p.push_back(boost::json::string(pt));
      fake_tokens[ct] = {{"role", "consumer"}, {"developer", dev}};
      fake_tokens[pt] = {{"role", "producer"}, {"developer", dev}, {"user", "u1"}};
    }
    consumers[dev] = std::move(c);
    producers[dev] = boost::json::object{{"u1", std::move(p)}};
  }
  std::ofstream(dir / "fake.json") << boost::json::serialize(fake_tokens);
  using boost::json::object;
  std::ofstream(dir / "suite.json") << boost::json::serialize(object{{"consumer", consumers}, {"producer", producers}});
  // Only consumers: 1.5 needs a producer token too.
  std::ofstream(dir / "consumers-only.json")
      << boost::json::serialize(object{{"consumer", consumers}, {"producer", object{}}});

  fake f({"--tokens", (dir / "fake.json").string()});
  ASSERT_FALSE(f.port.empty());
  auto good = conform(f, dir / "good", {"--case", "1.5,6.3", "--token-file", (dir / "suite.json").string()});
  EXPECT_EQ(good.verdicts, (std::map<std::string, std::string>{{"1.5", "OK"}, {"6.3", "OK"}})) << good.log;
  auto dry = conform(f, dir / "dry", {"--case", "1.5", "--token-file", (dir / "consumers-only.json").string()});
  EXPECT_EQ(dry.verdicts["1.5"], "UNIMPLEMENTED") << dry.log;
  EXPECT_NE(dry.findings["1.5"].find("not run"), std::string::npos) << dry.findings["1.5"];
  EXPECT_EQ(dry.exit_code, 0) << "UNIMPLEMENTED is not FAILED\n" << dry.log;
}

// The command mints self-describing tokens and logs each call, so the test sees it ran per token.
TEST(WearableCli, TokenCmdIsRunForEveryTokenAndAFailingOneIsUnimplemented) {
  auto dir = fresh_dir("token-cmd");
  fs::path script = dir / "mint.sh";
  std::ofstream(script) << "#!/bin/sh\n"
                           "n=$(($(cat '" << (dir / "n").string() << "' 2>/dev/null || echo 0) + 1))\n"
                           "echo $n > '" << (dir / "n").string() << "'\n"
                           "echo \"$*\" >> '" << (dir / "calls.txt").string() << "'\n"
                           "if [ \"$1\" = consumer ]; then echo \"dev:$2:cmd$n\"; else echo \"user:$2:$3:cmd$n\"; fi\n";
  fs::permissions(script, fs::perms::owner_all);
  fake f;
  ASSERT_FALSE(f.port.empty());
  auto good = conform(f, dir / "good", {"--case", "1.5", "--token-cmd", script.string()});
  EXPECT_EQ(good.verdicts, (std::map<std::string, std::string>{{"1.5", "OK"}})) << good.log;
  std::ifstream calls_in(dir / "calls.txt");
  std::vector<std::string> calls;
  for (std::string line; std::getline(calls_in, line);) calls.push_back(line);
  ASSERT_EQ(calls.size(), 2u) << "1.5 needs one producer and one consumer token";
  EXPECT_EQ(calls[0].rfind("producer ", 0), 0u) << calls[0];
  EXPECT_EQ(calls[1].rfind("consumer ", 0), 0u) << calls[1];
  auto failing = conform(f, dir / "failing", {"--case", "1.5", "--token-cmd", "false"});
  EXPECT_EQ(failing.verdicts["1.5"], "UNIMPLEMENTED") << failing.log;
  EXPECT_EQ(failing.exit_code, 0) << failing.log;
}

}  // namespace
