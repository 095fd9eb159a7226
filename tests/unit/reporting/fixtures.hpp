#pragma once
// Hand-filled result documents with fixed timestamps, so every writer's output is deterministic,
// plus the golden-file and schema helpers the reporting tests share.
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "harness/metrics/recorder.hpp"
#include "harness/reporting/result_document.hpp"

namespace drover::reporting::testing {

// A load run: trends (ms and bytes, one empty), counters, rate, gauge, checks (one failing),
// thresholds (one breached), errors, close codes, validation.
metrics::recorder sample_recorder();
run_info sample_run_info();
boost::json::object sample_run_document();

// A conform run with one case of every verdict and messages holding markup characters.
boost::json::object sample_conform_document();

// Compares actual with tests/golden/reporting/<name>; with DROVER_UPDATE_GOLDEN=1 rewrites the
// file instead. Returns "" on success, else what differs.
std::string compare_with_golden(std::string_view name, const std::string& actual);

// Validates against schemas/harness/summary.schema.json; returns the violations, one a line.
std::string schema_violations(const boost::json::value& doc);

}  // namespace drover::reporting::testing
