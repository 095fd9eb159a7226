#pragma once
// `drover report merge DIR... [--out DIR]`: merges the summary.json of N shards
// (reporting/merge.hpp) and writes summary.json, report.html and junit.xml (default ./merged).
// Exit codes: the merged outcome's (0, 1, 3, 130), 2 on a usage or input error (a missing
// folder or summary.json, another drover version, no full histograms, different scenarios),
// each as one line naming the file.
//
// Threading: runs on the calling thread; installs no signal handlers.
namespace drover::cli {

// argv holds the arguments after "report" (argv[0] is the subcommand, "merge").
int report_main(int argc, char** argv);

}  // namespace drover::cli
