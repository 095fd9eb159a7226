#include "tests/integration/hostile_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test::hostile {

namespace {

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

const std::string root = DROVER_SOURCE_ROOT;

}  // namespace

measured_run run_measured(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                          const std::string& out_dir) {
  std::string out_file = out_dir + ".stdout", err_file = out_dir + ".stderr";
  auto started = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Files, not pipes: nobody has to drain them while the child runs.
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  measured_run r;
  int status = 0;
  rusage usage{};
  auto deadline = started + timeout;
  while (true) {
    pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  r.exit_code = decode(status);
  r.peak_rss_kb = usage.ru_maxrss;  // kilobytes on Linux: the child's VmHWM
  r.out = read_file(out_file);
  r.err = read_file(err_file);
  if (std::filesystem::exists(out_dir + "/summary.json"))
    r.summary = boost::json::parse(read_file(out_dir + "/summary.json")).as_object();
  return r;
}

std::uint64_t error_count(const boost::json::object& summary, const std::string& kind) {
  const auto* errors = summary.if_contains("errors");
  if (!errors) return 0;
  for (const auto& e : errors->as_array())
    if (e.at("kind").as_string() == kind) return e.at("count").to_number<std::uint64_t>();
  return 0;
}

std::string error_kinds(const boost::json::object& summary) {
  std::string out;
  if (const auto* errors = summary.if_contains("errors"))
    for (const auto& e : errors->as_array())
      out += std::string(e.at("kind").as_string()) + ":" + std::to_string(e.at("count").to_number<std::uint64_t>()) + " ";
  return out.empty() ? "(none)" : out;
}

std::string error_sample(const boost::json::object& summary, const std::string& kind) {
  if (const auto* errors = summary.if_contains("errors"))
    for (const auto& e : errors->as_array())
      if (e.at("kind").as_string() == kind && !e.at("samples").as_array().empty())
        return std::string(e.at("samples").as_array().at(0).as_string());
  return "";
}

double counter(const boost::json::object& summary, const std::string& name) {
  const auto* metrics = summary.if_contains("metrics");
  const auto* m = metrics ? metrics->as_object().if_contains(name) : nullptr;
  return m ? m->as_object().at("count").to_number<double>() : 0;
}

std::pair<std::uint64_t, std::uint64_t> check_counts(const boost::json::object& summary, const std::string& name) {
  if (const auto* checks = summary.if_contains("checks"))
    for (const auto& c : checks->as_array())
      if (c.at("name").as_string() == name)
        return {c.at("passes").to_number<std::uint64_t>(), c.at("fails").to_number<std::uint64_t>()};
  return {0, 0};
}

void expect_sound(const measured_run& r, const std::vector<int>& exit_codes, std::chrono::milliseconds limit,
                  const std::string& what) {
  std::string context = what + ": exit " + std::to_string(r.exit_code) + ", " + std::to_string(r.elapsed.count()) +
                        " ms, peak RSS " + std::to_string(r.peak_rss_kb) + " KiB\n" + r.out + r.err;
  EXPECT_FALSE(r.timed_out) << context;
  EXPECT_LT(r.exit_code, 128) << "killed by a signal: " << context;
  EXPECT_NE(r.exit_code, 4) << "internal error: " << context;
  EXPECT_NE(std::find(exit_codes.begin(), exit_codes.end(), r.exit_code), exit_codes.end()) << context;
  EXPECT_LT(r.elapsed, limit) << context;
  EXPECT_LT(r.peak_rss_kb, rss_limit_kb) << context;
  EXPECT_FALSE(r.summary.empty()) << "no summary.json: " << context;
}

void expect_echo_unharmed(const measured_run& r, int clients) {
  const int sends = 3;
  auto connected = check_counts(r.summary, "echo connected");
  auto round_trips = check_counts(r.summary, "echo round trip");
  auto closed = check_counts(r.summary, "echo closed");
  EXPECT_EQ(connected, std::make_pair(std::uint64_t(clients), std::uint64_t(0))) << error_kinds(r.summary);
  EXPECT_EQ(round_trips, std::make_pair(std::uint64_t(clients * sends), std::uint64_t(0))) << error_kinds(r.summary);
  EXPECT_EQ(closed, std::make_pair(std::uint64_t(clients), std::uint64_t(0))) << error_kinds(r.summary);
}

void expect_conform_reports(const measured_run& r, const std::string& kind, int exit_code, long min_clients) {
  expect_sound(r, {exit_code}, conform_limit, "conform wearable");
  if (r.summary.empty()) return;
  const auto* cases = r.summary.if_contains("cases");
  ASSERT_TRUE(cases && cases->is_array() && !cases->as_array().empty());
  if (min_clients < 0) min_clients = static_cast<long>(cases->as_array().size()) - 1;
  EXPECT_GE(error_count(r.summary, kind), static_cast<std::uint64_t>(min_clients))
      << kind << " expected; errors: " << error_kinds(r.summary);
}

probe_result probe(const std::string& mode, const probe_options& options) {
  probe_result result;
  std::string dir = temp_dir("hostile-" + mode);
  std::vector<std::string> fake_args = {"--mode", mode, "--max-life", "30s"};
  if (options.tls) {
    result.cert = dir + "/cert.pem";
    fake_args.insert(fake_args.end(), {"--cert-out", result.cert});
  }
  fake_args.insert(fake_args.end(), options.fake_args.begin(), options.fake_args.end());
  fake_process fake("hostile", fake_args);
  fake_process echo("echo");
  std::vector<std::string> drover_args = options.drover_args;
  if (options.trust_cert) drover_args.insert(drover_args.end(), {"--ca", result.cert});
  std::string target = (options.tls ? "wss://127.0.0.1:" : "ws://127.0.0.1:") + std::to_string(fake.port()) + "/";

  std::vector<std::string> run = {DROVER_BINARY, "run", root + "/tests/integration/scenarios/hostile_mixed.lua",
                                  "--target", target, "--vus", std::to_string(options.vus), "--workers", "1",
                                  "--connect-timeout", "2s", "--out", dir + "/run", "--quiet",
                                  "--env", "ECHO=" + echo.url()};
  for (const auto& e : options.env) run.insert(run.end(), {"--env", e});
  run.insert(run.end(), drover_args.begin(), drover_args.end());
  result.run = run_measured(run, std::chrono::seconds(60), dir + "/run");

  std::vector<std::string> conform = {DROVER_BINARY, "conform", "wearable", "--target", target,
                                      "--out", dir + "/conform", "--quiet",
                                      "--env", "RESPONSE_TIMEOUT_MS=500", "--env", "HELLO_WAIT_MS=500",
                                      "--env", "SETTLE_MS=100", "--env", "IDENTIFY_TIMEOUT_MS=600"};
  conform.insert(conform.end(), drover_args.begin(), drover_args.end());
  result.conform = run_measured(conform, std::chrono::seconds(60), dir + "/conform");
  return result;
}

}  // namespace drover::test::hostile
