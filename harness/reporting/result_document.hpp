#pragma once
// The result document: the one JSON object a run produces (DESIGN.md "one result document,
// many writers"). Its shape is schemas/harness/summary.schema.json; every writer
// (console, summary.json, report.html, junit.xml) reads only this document.
//
// Threading: pure functions, callable from any thread; the recorder must not be written to
// while the document is built (build it after merging).
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "harness/metrics/recorder.hpp"
#include "harness/metrics/thresholds.hpp"

namespace drover::reporting {

inline constexpr int schema_version = 1;

// What the runner knows about the run it made. Filled by the runner.
struct run_info {
  std::string tool_version;
  std::string command;   // "run" | "conform"
  std::string scenario;  // path as given
  std::string target;    // may be empty
  std::string protocol;  // may be empty
  int vus = 0;
  int workers = 0;
  std::chrono::milliseconds duration{0}, ramp_up{0}, graceful_stop{0};
  // --env pairs in the order given. Values are shown in the report, except for keys containing
  // TOKEN, SECRET, KEY or PASSWORD (any case), which are masked as "***".
  std::vector<std::pair<std::string, std::string>> env;
  std::chrono::system_clock::time_point started_at, ended_at;
  double elapsed_seconds = 0;  // also the denominator of counter rates
  bool interrupted = false;
  int vus_started = 0, vus_connected = 0;  // clients that ran / that opened at least one WebSocket
  // false: the command redacts the document's secrets (protocols/secrets.hpp) before any
  // writer sees it; true: --show-secrets. Recorded as run.secrets ("redacted" | "shown").
  bool secrets_shown = false;
  // The workload model (run.executor: constant-vus, ramping-vus, ...; empty for conform) and,
  // with --shard i/N, the shard (run.shard: index 1-based as given, count; 0: not sharded).
  std::string executor;
  int shard_index = 0, shard_count = 0;
  // A mixed fleet (options.scenarios): run.scenarios, one entry per named scenario (empty for a
  // single-scenario file). Their metrics carry the tags "{<tags>}" (runner/run_config.hpp).
  struct scenario_info {
    std::string name, executor, exec;  // exec: the Lua function ("client" when not given)
    std::map<std::string, std::string> tags;
    std::chrono::milliseconds start_time{0}, duration{0};
    int vus = 0;                       // its clients (arrival-rate: the pre-allocated pool)
  };
  std::vector<scenario_info> scenarios;
};

struct outcome {
  int exit_code = 0;
  // "passed" | "checks_failed" | "thresholds_breached" | "cases_failed" | "unreachable" |
  // "interrupted" | "error"
  std::string status;
  std::string message;  // one line for the user; may be empty
};

// Builds the document. Trend values are converted from the recorder's stored thousandths to the
// metric's unit; histograms are merged into at most max_histogram_bars bars (exact counts).
// validation, cases and timeseries (results over time: timeseries.hpp's to_json) are copied in
// when non-null (their shapes are in the schema).
boost::json::object build_result_document(const run_info& info, const metrics::recorder& merged,
                                          const std::vector<metrics::threshold_result>& thresholds,
                                          const outcome& result, const boost::json::object* validation,
                                          const boost::json::array* cases,
                                          const boost::json::object* timeseries = nullptr);

// The meaning of a WebSocket close code ("Normal Closure" for 1000; RFC 6455 and the IANA
// registry for 1000..1015, ranges for 3000-4999); empty when unknown.
std::string close_code_meaning(int code);

// True when an --env key names a secret (contains TOKEN, SECRET, KEY or PASSWORD, any case).
bool is_secret_env_key(std::string_view key);

}  // namespace drover::reporting
