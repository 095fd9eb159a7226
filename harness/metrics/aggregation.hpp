#pragma once
// Internal to drover_metrics: the aggregation vocabulary shared by threshold parsing and
// evaluation. Names are case-sensitive, as in k6.
#include <optional>
#include <string>
#include <string_view>

namespace drover::metrics::detail {

// Every aggregation a user may write, for error messages.
inline constexpr std::string_view aggregation_list =
    "avg, mean, min, max, med, count, pN or p(N), rate, passes, fails, value";

// "mean" -> "avg", "med" -> "p50", "p(99.90)" -> "p99.9"; nullopt (with *problem set to a
// sentence for the user) when the text is not an aggregation.
std::optional<std::string> normalise_aggregation(std::string_view text, std::string* problem = nullptr);

// N of a normalised "pN"; nullopt for any other aggregation.
std::optional<double> percentile_of(std::string_view normalised);

// Shortest text that reads back as the same double: 200, 0.99, 99.9.
std::string shortest(double v);

}  // namespace drover::metrics::detail
