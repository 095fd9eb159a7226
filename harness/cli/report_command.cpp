#include "harness/cli/report_command.hpp"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "harness/common/error.hpp"
#include "harness/reporting/compare_report.hpp"
#include "harness/reporting/merge.hpp"
#include "harness/reporting/writers.hpp"

#ifndef DROVER_VERSION
#define DROVER_VERSION "unknown"
#endif

namespace drover::cli {

namespace {

constexpr const char* compare_description =
    "Compare results: two drover run results (BASE NEW), or two or more drover conform results side by side.\n"
    "Each argument is a summary.json or a result folder holding one. Prints a table; --out DIR also writes\n"
    "compare.json and compare.html. Runs: every trend (count avg p50 p90 p95 p99 max), counter (count, rate/s),\n"
    "rate, check (passes fails fail_ratio), threshold, error kind and close code, with base, new, change, % and\n"
    "a mark: regression, improvement, within noise, changed (no better/worse direction), new, gone.\n"
    "Noise band: a change of at most max(--noise % of the base, --noise-floor ms for latencies) is within noise\n"
    "(defaults 10 % and 20 ms: loopback latencies jitter by milliseconds).\n"
    "Conform: cases whose verdict changed first; worse than the first run (e.g. OK -> FAILED) is a regression.\n"
    "Exit: 1 when a --fail-on rule is broken, or with --fail-on-regression when anything is a regression;\n"
    "else 0 (regressions alone do not fail); 2 on a usage or input error.";

struct compare_args {
  std::vector<std::string> paths;
  std::vector<std::string> rules;
  double noise_percent = 10;
  double noise_floor_ms = 20;
  bool fail_on_regression = false;
  std::string out_dir;
};

void add_compare(CLI::App& app, compare_args& args) {
  auto* compare = app.add_subcommand("compare", compare_description);
  compare->add_option("results", args.paths, "BASE NEW (run results), or 2+ conform results; summary.json or folder")
      ->required()
      ->expected(2, 64);
  compare->add_option("--fail-on", args.rules,
                      "Gate, repeatable: \"METRIC.AGGREGATION LIMIT\", LIMIT +N% | +N | -N% | -N (N in the "
                      "metric's unit, ms for latencies), e.g. \"ws_connecting.p99 +10%\", \"checks.rate -1%\"; "
                      "a broken rule exits 1")
      ->allow_extra_args(false);  // one rule per --fail-on: never swallow the result paths after it
  compare->add_option("--noise", args.noise_percent, "Noise band, percent of the base value")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  compare->add_option("--noise-floor", args.noise_floor_ms,
                      "Noise band's absolute floor for latencies (ms); also the least change that breaks a +N% rule")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  compare->add_flag("--fail-on-regression", args.fail_on_regression, "Exit 1 when any value or case is a regression");
  compare->add_option("--out", args.out_dir, "Directory for compare.json and compare.html (default: none written)");
}

int run_compare(const compare_args& args) {
  reporting::compare::compare_options options;
  options.band.relative = args.noise_percent / 100.0;
  options.band.floor_ms = args.noise_floor_ms;
  options.fail_on_regression = args.fail_on_regression;
  for (const auto& text : args.rules) options.rules.push_back(reporting::compare::parse_fail_rule(text));
  std::vector<reporting::compare::compared_document> docs;
  for (const auto& p : args.paths) docs.push_back(reporting::compare::read_compared_document(p));
  const auto report = reporting::compare::build_compare_report(std::move(docs), options);
  std::cout << reporting::compare::render_compare_console(report, ::isatty(STDOUT_FILENO) != 0) << std::flush;
  if (!args.out_dir.empty()) {
    reporting::compare::write_compare_outputs(report, args.out_dir);
    std::fprintf(stderr, "drover: wrote %s/compare.json and %s/compare.html\n", args.out_dir.c_str(),
                 args.out_dir.c_str());
  }
  return report.exit_code;
}

}  // namespace

int report_main(int argc, char** argv) {
  CLI::App app{"drover report: work on result documents", "drover report"};
  app.require_subcommand(1);
  std::vector<std::string> dirs;
  std::string out_dir = "merged";
  bool quiet = false;
  auto* merge = app.add_subcommand("merge", "Merge the summary.json of N shards (drover run --out DIR each) exactly");
  merge->add_option("dirs", dirs, "Shard result folders, each holding a summary.json")->required();
  merge->add_option("--out", out_dir, "Directory for the merged summary.json, report.html and junit.xml")
      ->capture_default_str();
  merge->add_flag("--quiet,-q", quiet, "No console summary");
  compare_args compare;
  add_compare(app, compare);
  // CLI11 wants the program name first.
  std::vector<const char*> args{"drover report"};
  for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::fprintf(stderr, "drover: error: report: %s\n", e.what());
    return static_cast<int>(exit_code::usage);
  }
  try {
    if (app.got_subcommand("compare")) return run_compare(compare);
    std::vector<reporting::shard_summary> shards;
    for (const auto& d : dirs) shards.push_back(reporting::read_shard_summary(d, DROVER_VERSION));
    auto doc = reporting::merge_shards(shards, DROVER_VERSION);
    reporting::write_outputs(doc, out_dir);
    if (!quiet) std::cout << reporting::render_console(doc, ::isatty(STDOUT_FILENO) != 0);
    std::fprintf(stderr, "drover: merged %zu shard(s) into %s\n", shards.size(), out_dir.c_str());
    return static_cast<int>(doc["outcome"].as_object()["exit_code"].to_number<int>());
  } catch (const usage_error& e) {
    std::fprintf(stderr, "drover: error: %s\n", e.what());
    return static_cast<int>(exit_code::usage);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drover: error: internal error: %s\n", e.what());
    return static_cast<int>(exit_code::internal);
  }
}

}  // namespace drover::cli
