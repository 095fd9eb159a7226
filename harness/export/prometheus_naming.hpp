#pragma once
// Prometheus names for drover's metrics (README "Outputs: Prometheus"): metric names match
// [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and do not start with "__"
// (reserved for Prometheus' own labels). Pure functions, any thread.
#include <string>
#include <string_view>
#include <utility>

namespace drover::exporting {

// Any character outside the metric-name alphabet becomes '_'; a leading digit gets a '_' before
// it. "ws_connecting" stays; "my-trend.ms" becomes "my_trend_ms".
std::string prometheus_metric_name(std::string_view text);

// The same for label names, and a name that would start with "__" loses those underscores'
// reserved meaning by a leading "tag" ("__x" -> "tag__x"); empty becomes "tag".
std::string prometheus_label_name(std::string_view text);

// `--prometheus-label KEY=VALUE`: the key must already be a valid label name (we do not
// rename what the user typed) and the value must not be empty (Prometheus drops empty labels).
// Throws usage_error naming the flag, the text and the rule broken.
std::pair<std::string, std::string> parse_prometheus_label_flag(std::string_view text);

}  // namespace drover::exporting
