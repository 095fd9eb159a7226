#pragma once
// An inline SVG line chart of one trend's percentile spectrum (percentile_spectrum.hpp): x is
// the percentile on the log scale of 1/(1-p) (0, 90, 99, 99.9, 99.99, 99.999 %), y the value in
// the trend's unit from 0. Readable without script: the marked percentiles carry <title>s.
// Styled by the page's CSS (chart-*, spectrum-*). A pure function; any thread.
#include <string>
#include <string_view>
#include <vector>

#include "harness/reporting/percentile_spectrum.hpp"

namespace drover::reporting {

// Empty points -> "".
std::string spectrum_svg(std::string_view name, const std::vector<spectrum_point>& points, std::string_view unit);

}  // namespace drover::reporting
