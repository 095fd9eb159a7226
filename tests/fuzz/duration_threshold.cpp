// Fuzz target: human durations (harness/common/duration.*) and k6-style thresholds
// (harness/metrics/threshold_parse.cpp). Input: a duration text, then NUL-separated
// threshold key and expression pairs. usage_error is the contract for bad text; an accepted
// duration must print (format_duration) as text that parses to the same value, and an
// accepted threshold must evaluate against a recorder without throwing.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "harness/common/duration.hpp"
#include "harness/common/error.hpp"
#include "harness/metrics/recorder.hpp"
#include "harness/metrics/thresholds.hpp"
#include "tests/fuzz/fuzz_split.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "duration_threshold: %s\n  first:  %s\n  second: %s\n", what, a.c_str(), b.c_str());
  std::abort();
}

// A few metrics of every kind so that evaluation reaches the aggregations.
const drover::metrics::recorder& sample_recorder() {
  static const drover::metrics::recorder r = [] {
    drover::metrics::recorder rec;
    for (int i = 1; i <= 100; ++i) rec.add_trend("ws_connecting", i * 1.5);
    rec.add_counter("ws_msgs_received", 42);
    rec.add_rate("checks", true);
    rec.add_rate("checks", false);
    rec.set_gauge("vus", 10);
    return rec;
  }();
  return r;
}

void check_duration(std::string_view text) {
  std::chrono::milliseconds d;
  try {
    d = drover::parse_duration(text);
  } catch (const drover::usage_error&) {
    return;
  }
  if (d.count() < 0) fail("negative duration", std::string(text), std::to_string(d.count()));
  const std::string printed = drover::format_duration(d);
  std::chrono::milliseconds again{};
  try {
    again = drover::parse_duration(printed);
  } catch (const drover::usage_error& e) {
    fail("format_duration output does not parse", std::string(text), printed);
  }
  if (again != d) fail("format_duration does not round-trip", std::string(text), printed);
}

void check_threshold(std::string_view key, std::string_view expression) {
  drover::metrics::threshold_spec spec;
  try {
    spec = drover::metrics::parse_threshold(key, expression);
  } catch (const drover::usage_error&) {
    return;
  }
  if (spec.metric.empty() || spec.aggregation.empty() || spec.op.empty())
    fail("accepted with an empty part", std::string(key), std::string(expression));
  for (double elapsed : {0.0, 10.0}) {
    auto result = drover::metrics::evaluate_threshold(spec, sample_recorder(), elapsed);
    if (result.message.empty()) fail("evaluated without a message", spec.source, "");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto fields = drover::fuzz::split_fields(data, size);
  check_duration(fields[0]);
  for (std::size_t i = 1; i + 1 < fields.size(); i += 2) check_threshold(fields[i], fields[i + 1]);
  // The same text as an expression under a plain key, so single-field seeds reach the parser.
  check_threshold("ws_connecting", fields[0]);
  return 0;
}
