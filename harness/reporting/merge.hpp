#pragma once
// `drover report merge`: the result documents of N shards (each a summary.json written by
// `drover run --out DIR`, run at the same time against one target) merged into one document,
// exactly: counters add, trends merge their full HDR histograms bucket by bucket (the "hdr"
// member of each trend; never averaged percentiles), rates add trues and totals, gauges take
// the largest shard's value, checks add passes and fails, errors and close codes add, cases
// concatenate, and thresholds are parsed again from their expressions and evaluated on the
// merged data. Counter rates are per second of the longest shard (shards run side by side).
//
// Threading: pure functions over their arguments plus file reads; callable from any thread.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "harness/metrics/recorder.hpp"

namespace drover::reporting {

// One shard's summary.json as read back.
struct shard_summary {
  std::filesystem::path file;  // DIR/summary.json, for error messages
  boost::json::object doc;
};

// Reads dir/summary.json. Throws file_error naming the path when the folder or the file is
// missing or unreadable, usage_error naming the file when it is not a drover result document,
// comes from another drover version than expected_version, or has a trend without "hdr" (written
// before histograms were kept in full: it cannot be merged exactly).
shard_summary read_shard_summary(const std::filesystem::path& dir, std::string_view expected_version);

// The metrics of a document rebuilt as a recorder: trends from "hdr" (same buckets, exact min
// and max), counters, rates and gauges from their fields. Checks, errors and close codes are
// not rebuilt (merge_shards adds those as JSON). Throws usage_error naming file on a malformed
// metric.
metrics::recorder recorder_from_document(const boost::json::object& doc, const std::filesystem::path& file);

// Merges at least one shard into one result document (the summary.schema.json shape), with
// the outcome decided again on the merged data (130 if any shard was interrupted, 3 if no shard
// reached the target, 1 on a breached threshold, a failed check, a Lua error or a FAILED case).
// Throws usage_error naming the files when the shards ran different scenarios or commands.
boost::json::object merge_shards(const std::vector<shard_summary>& shards, std::string_view tool_version);

// The shards' "timeseries" merged by interval, aligned on each shard's started_unix_s + t_ms
// (the merged series starts at the earliest shard's start; a point joins the merged interval
// nearest to its start). Counts add exactly and max is the max of maxes; p50/p95/p99 are left
// out, since percentiles cannot be merged from percentiles. nullopt when no shard has one.
// Throws usage_error naming the file when shards' interval_ms differ or a point is malformed.
std::optional<boost::json::object> merge_timeseries(const std::vector<shard_summary>& shards);

}  // namespace drover::reporting
