#pragma once
// `drover report merge DIR... [--out DIR]`: merges the summary.json of N shards
// (reporting/merge.hpp) and writes summary.json, report.html and junit.xml (default ./merged).
// Exit codes: the merged outcome's (0, 1, 3, 130), 2 on a usage or input error (a missing
// folder or summary.json, another drover version, no full histograms, different scenarios),
// each as one line naming the file.
// `drover report compare BASE NEW [--fail-on RULE]... [--noise PCT] [--noise-floor MS]
// [--fail-on-regression] [--out DIR]`, or 2+ conform results side by side
// (reporting/compare_report.hpp): prints the comparison, writes compare.json and compare.html
// into --out. Exit codes: 1 a --fail-on rule broken (or a regression under --fail-on-regression),
// 0 otherwise, 2 on a usage or input error (bad rule text, missing/invalid file, mixed kinds).
//
// Threading: runs on the calling thread; installs no signal handlers.
namespace drover::cli {

// argv holds the arguments after "report" (argv[0] is the subcommand, "merge" or "compare").
int report_main(int argc, char** argv);

}  // namespace drover::cli
