#pragma once
// `drover report compare` for two `drover run` results: every trend aggregation, counter, rate,
// check, threshold verdict, error kind and close code of a baseline document against a new one,
// each with its absolute and relative change and a mark (regression, improvement, within noise,
// ...). The noise band decides what counts as a change: a value moved by no more than
// max(relative × |base|, floor) is within noise, where the floor applies to values in
// milliseconds only (on loopback a p99 of 0.3 ms against 0.5 ms, or a single 10 ms scheduling
// hiccup, is not a regression).
//
// Threading: pure functions over their arguments; callable from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace drover::reporting::compare {

// Which way a value gets worse. neutral: a change is reported ("changed") but is neither
// better nor worse (a trend's sample count, a normal-closure count).
enum class direction { higher_is_worse, lower_is_worse, neutral };

enum class mark {
  regression,
  improvement,
  within_noise,  // moved, but inside the noise band (or not at all)
  changed,       // moved beyond the band, direction neutral
  unchanged,     // exact values (verdicts, threshold results) that did not change
  added,         // only in the new document ("new")
  gone,          // only in the base document
};

// "regression", "improvement", "within noise", "changed", "unchanged", "new", "gone".
std::string_view mark_name(mark m);

struct noise_band {
  double relative = 0.10;  // fraction of |base|
  double floor_ms = 20.0;  // absolute floor for values whose unit is "ms"
};

// The band's half-width around base for a value in unit (0 when both terms are 0).
double noise_allowance(double base, std::string_view unit, const noise_band& band);

// The mark of one value. exact: no noise band, any difference is a change (verdicts, threshold
// results). base or next empty: added / gone.
mark classify(std::optional<double> base, std::optional<double> next, std::string_view unit, direction dir,
              bool exact, const noise_band& band);

// One compared value.
struct row {
  std::string section;      // "trends", "counters", "rates", "checks", "thresholds", "errors", "close codes"
  std::string metric;       // what --fail-on names: "echo_rtt", "checks", "check:ack received",
                            // "threshold:echo_rtt.p99 < 250", "error:timeout", "close_code:1006"
  std::string aggregation;  // "p99", "avg", "count", "rate", "passes", "fails", "fail_ratio", "ok"
  std::string unit;         // "ms", "bytes", "bytes/s", "/s", "ratio", "" (plain count), "verdict" (1 ok, 0 not)
  std::optional<double> base, next;
  direction dir = direction::neutral;
  bool exact = false;
  mark verdict = mark::within_noise;
  // Server or script text that explains the new value: a check's first failure, an error kind's
  // first sample (from the new document; empty when there is none). Untrusted: escape it.
  std::string detail;

  std::optional<double> absolute_change() const;  // next - base; empty when either is missing
  std::optional<double> relative_change() const;  // (next - base) / |base|; empty when base is 0 or missing, or exact
};

struct run_comparison {
  std::vector<row> rows;  // in document order, section by section
};

// The aggregations of a trend that are compared, in order; "avg" reads the document's "mean".
const std::vector<std::string>& trend_aggregations();

// Compares two run documents (summary.json of `drover run`). Missing or mistyped fields read as
// absent; never throws on document content.
run_comparison compare_runs(const boost::json::object& base, const boost::json::object& next, const noise_band& band);

// The row for metric.aggregation, or nullptr.
const row* find_row(const run_comparison& c, std::string_view metric, std::string_view aggregation);

}  // namespace drover::reporting::compare
