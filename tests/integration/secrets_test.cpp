// Secrets stay out of outputs: `drover conform wearable` with known tokens (--token-file, and a
// token in the target URL) against a fake with faults, so that failed cases put transcripts,
// findings and schema-violation samples in the report. No output (summary.json, report.html,
// junit.xml, stdout, stderr) contains any token; with --show-secrets they are there.
#include <filesystem>
#include <fstream>
#include <random>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

// Tokens that occur nowhere else: a random tag per test run.
struct token_set {
  std::string tag;
  std::vector<std::string> tokens;  // every token in the files
  std::string url_token;            // the target's ?token=
  std::string suite_file, fake_file;

  explicit token_set(const std::string& dir) {
    std::mt19937_64 rng(std::random_device{}());
    char buf[32];
    std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
    tag = buf;
    url_token = "urlsecret" + tag;
    boost::json::object consumer, producer, fake;
    // 30 developers, so that concurrent cases rarely share one (the fake's limit is 8).
    for (int d = 0; d < 30; ++d) {
      std::string dev = "dev" + std::to_string(d);
      boost::json::array cons;
      for (int i = 0; i < 4; ++i) {
        std::string t = "ctok" + std::to_string(d) + "x" + std::to_string(i) + "z" + tag;
        cons.push_back(boost::json::string(t));
        fake[t] = {{"role", "consumer"}, {"developer", dev}};
        tokens.push_back(t);
      }
      consumer[dev] = std::move(cons);
      boost::json::object users;
      for (int u = 0; u < 3; ++u) {
        std::string user = "u" + std::to_string(u);
        boost::json::array list;
        for (int i = 0; i < 4; ++i) {
          std::string t = "ptok" + std::to_string(d) + user + "x" + std::to_string(i) + "z" + tag;
          list.push_back(boost::json::string(t));
          fake[t] = {{"role", "producer"}, {"developer", dev}, {"user", user}};
          tokens.push_back(t);
        }
        users[user] = std::move(list);
      }
      producer[dev] = std::move(users);
    }
    suite_file = dir + "/tokens.json";
    fake_file = dir + "/fake-tokens.json";
    std::ofstream(suite_file) << boost::json::serialize(boost::json::object{{"consumer", consumer}, {"producer", producer}});
    std::ofstream(fake_file) << boost::json::serialize(fake);
  }
};

struct conform_run {
  process_result result;
  std::map<std::string, std::string> outputs;  // name -> text
};

conform_run run_conform(const token_set& tokens, const std::string& out, bool show) {
  // wrong-close:4001 fails 6.2-6.4 (IDENTIFY transcripts with tokens), dispatch-bad-schema fails
  // 3.1 and 5.1 (schema-violation samples, check details).
  fake_process fake("wearable", {"--heartbeat-interval", "300", "--identify-timeout", "600", "--consumer-limit", "8",
                                 "--tokens", tokens.fake_file, "--fault", "wrong-close:4001", "--fault",
                                 "dispatch-bad-schema"});
  std::vector<std::string> argv = {drover, "conform", "wearable", "--target", fake.url("/?token=" + tokens.url_token),
                                   "--env", "IDENTIFY_TIMEOUT_MS=600", "--env", "CONSUMER_LIMIT=8",
                                   "--env", "API_KEY=envsecret" + tokens.tag, "--token-file", tokens.suite_file,
                                   "--out", out};
  if (show) argv.push_back("--show-secrets");
  conform_run run{run_process(argv), {}};
  for (const char* file : {"summary.json", "report.html", "junit.xml"}) run.outputs[file] = read_file(out + "/" + file);
  run.outputs["stdout"] = run.result.out;
  run.outputs["stderr"] = run.result.err;
  return run;
}

// Which of `secrets` occur in `text`.
std::vector<std::string> occurring(const std::string& text, const std::vector<std::string>& secrets) {
  std::vector<std::string> out;
  for (const auto& s : secrets)
    if (text.find(s) != std::string::npos) out.push_back(s);
  return out;
}

TEST(Secrets, ConformOutputsHoldNoTokenUnlessShowSecrets) {
  auto dir = temp_dir("secrets");
  token_set tokens(dir);
  std::vector<std::string> secrets = tokens.tokens;
  secrets.push_back(tokens.url_token);
  secrets.push_back("envsecret" + tokens.tag);

  auto redacted = run_conform(tokens, dir + "/redacted", false);
  ASSERT_EQ(redacted.result.exit_code, 1) << "the faults must fail cases\n" << redacted.result.out << redacted.result.err;
  for (const auto& [name, text] : redacted.outputs) {
    ASSERT_FALSE(text.empty()) << name;
    EXPECT_EQ(occurring(text, secrets), std::vector<std::string>{}) << name << " leaks a secret";
    EXPECT_EQ(text.find(tokens.tag), std::string::npos) << name << " holds part of a secret";
  }
  // The report does hold what the secrets were in: transcripts with masked IDENTIFY tokens.
  auto doc = boost::json::parse(redacted.outputs["summary.json"]).as_object();
  EXPECT_EQ(doc.at("run").at("secrets").as_string(), "redacted");
  EXPECT_NE(redacted.outputs["summary.json"].find(R"(\"token\":\"••••#)"), std::string::npos);  // in a transcript
  EXPECT_NE(redacted.outputs["stdout"].find("?token=••••#"), std::string::npos) << redacted.outputs["stdout"];
  int failed = 0, with_transcript = 0;
  for (const auto& c : doc.at("cases").as_array()) {
    if (c.at("verdict").as_string() != "FAILED") continue;
    ++failed;
    if (!c.at("messages").as_array().empty()) ++with_transcript;
  }
  EXPECT_GE(failed, 4);
  EXPECT_EQ(with_transcript, failed);

  auto shown = run_conform(tokens, dir + "/shown", true);
  ASSERT_EQ(shown.result.exit_code, 1) << shown.result.out << shown.result.err;
  for (const char* name : {"summary.json", "report.html", "junit.xml"})
    EXPECT_FALSE(occurring(shown.outputs[name], tokens.tokens).empty()) << name << " should show the tokens";
  for (const char* name : {"summary.json", "stdout", "stderr"})
    EXPECT_NE(shown.outputs[name].find(tokens.url_token), std::string::npos) << name << " should show the URL token";
  auto shown_doc = boost::json::parse(shown.outputs["summary.json"]).as_object();
  EXPECT_EQ(shown_doc.at("run").at("secrets").as_string(), "shown");
  std::filesystem::remove_all(dir);
}

// A load run: a token in log(), in a check's detail, in a Lua error and in an Authorization
// header the scenario prints never reaches stderr or the outputs.
TEST(Secrets, LogsChecksAndErrorsOfARunAreRedacted) {
  auto dir = temp_dir("secrets-run");
  fake_process fake("echo");
  const std::string secret = "runsecret" + std::to_string(std::random_device{}());
  std::string script = dir + "/leaky.lua";
  std::ofstream(script) << "function client()\n"
                           "  local t = env.SECRET_VALUE\n"
                           "  log('identify {\"op\":3,\"d\":{\"token\":\"' .. t .. '\"}}')\n"
                           "  log('Authorization: Bearer ' .. t)\n"
                           "  check('sent', false, {op = 3, d = {token = t}})\n"
                           "  check('again', false, 'token ' .. t .. ' refused')\n"
                           "  error('connect to ws://x/?ticket=' .. t .. ' failed')\n"
                           "end\n";
  auto r = run_process({drover, "run", script, "--target", fake.url(), "--env", "SECRET_VALUE=" + secret, "--out",
                        dir + "/out"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("Bearer ••••#"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("?ticket=••••#"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos) << r.out;
  for (const char* file : {"summary.json", "report.html", "junit.xml"}) {
    std::string text = read_file(dir + "/out/" + file);
    EXPECT_EQ(text.find(secret), std::string::npos) << file;
    EXPECT_NE(text.find("••••#"), std::string::npos) << file << " should hold the masked detail";
  }
  // A usage error quoting the target (printed by the CLI after the run command returned).
  auto bad = run_process({drover, "run", script, "--target", "wss//h/?ticket=" + secret, "--out", dir + "/bad"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("?ticket=••••#"), std::string::npos) << bad.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace drover::test
