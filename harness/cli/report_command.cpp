#include "harness/cli/report_command.hpp"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "harness/common/error.hpp"
#include "harness/reporting/merge.hpp"
#include "harness/reporting/writers.hpp"

#ifndef DROVER_VERSION
#define DROVER_VERSION "unknown"
#endif

namespace drover::cli {

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
