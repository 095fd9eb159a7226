#pragma once
// What every hostile-server test does (tests/integration/hostile_*_test.cpp): start
// `drover fake hostile --mode M` and an echo fake, run drover against them with a process
// timeout, and measure the child's peak RSS (wait4's ru_maxrss) and wall time.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace drover::test::hostile {

struct measured_run {
  int exit_code = -1;  // 128+signal when killed (also by the timeout)
  bool timed_out = false;
  std::chrono::milliseconds elapsed{0};
  long peak_rss_kb = 0;  // VmHWM of the child at its end
  std::string out, err;
  boost::json::object summary;  // summary.json of --out, empty when it was not written
};

// Runs argv (argv[0] a path) to completion, killed after timeout; summary read from out_dir.
measured_run run_measured(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                          const std::string& out_dir);

// Count of `kind` in summary.json's `errors` (0 when absent).
std::uint64_t error_count(const boost::json::object& summary, const std::string& kind);
// Every error kind in summary.json's `errors`, "kind:count" joined (for failure messages).
std::string error_kinds(const boost::json::object& summary);
// The first sample message of an error kind ("" when absent).
std::string error_sample(const boost::json::object& summary, const std::string& kind);
// A counter's count (0 when absent).
double counter(const boost::json::object& summary, const std::string& name);
// Passes and fails of a check (0, 0 when absent).
std::pair<std::uint64_t, std::uint64_t> check_counts(const boost::json::object& summary, const std::string& name);

struct probe_options {
  std::vector<std::string> fake_args;    // after --mode
  std::vector<std::string> drover_args;  // added to both runs (e.g. --ca FILE)
  std::vector<std::string> env;          // KEY=VALUE for the scenario
  int vus = 6;                           // half hostile (odd ids), half echo
  bool tls = false;
  bool trust_cert = false;               // TLS: --ca the certificate the fake wrote
};

struct probe_result {
  measured_run run;      // drover run hostile_mixed.lua
  measured_run conform;  // drover conform wearable
  std::string cert;      // the certificate file the fake wrote (TLS modes)
};

// Starts the fakes, runs the scenario (connect/handshake timeout 2 s, 60 s process limit) and
// the wearable suite (short timers: connect 2.5 s, 60 s process limit) against the mode.
probe_result probe(const std::string& mode, const probe_options& options = {});

// GoogleTest expectations every probe makes of one drover process: it ended by itself (no
// timeout, no signal), within `limit`, with one of `exit_codes` (never 4), wrote summary.json
// and stayed under rss_limit_kb.
void expect_sound(const measured_run& r, const std::vector<int>& exit_codes, std::chrono::milliseconds limit,
                  const std::string& what);
// The echo half of hostile_mixed.lua was unharmed: every client connected, every round trip
// and close passed (clients = vus / 2, 3 round trips each).
void expect_echo_unharmed(const measured_run& r, int clients);
// Conform against a mode: `kind` was reported by at least `min_clients` clients (the suite's
// cases minus the one that needs SHUTDOWN_CMD, when min_clients < 0).
void expect_conform_reports(const measured_run& r, const std::string& kind, int exit_code, long min_clients = -1);

// Limits the tests hold drover to (stated here, once).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// The sanitizers' shadow memory (and ASan's quarantine) inflate RSS several times: there it is only a
// bound against runaway growth (a 100 MB frame buffered per client would still break it).
inline constexpr long rss_limit_kb = 512 * 1024;
#else
inline constexpr long rss_limit_kb = 64 * 1024;  // an idle run peaks at ~16-20 MiB; a 100 MB frame would break it
#endif
inline constexpr std::chrono::milliseconds run_limit{8'000};         // timeouts are 1-2 s; never-read has its own
inline constexpr std::chrono::milliseconds conform_limit{10'000};

}  // namespace drover::test::hostile
