#include "harness/runner/progress_line.hpp"

#include <algorithm>
#include <cstdio>

#include "harness/common/duration.hpp"

namespace drover::runner {

std::string format_progress(const progress_figures& f) {
  char buf[512];
  int n = std::snprintf(buf, sizeof buf, "  %6.1fs/%s  clients %d  iterations %.0f  msgs/s in %.0f out %.0f  errors %.0f",
                        f.elapsed_s, format_duration(f.total).c_str(), f.active, f.iterations, f.msgs_in_per_s,
                        f.msgs_out_per_s, f.errors);
  std::string out(buf, static_cast<std::size_t>(std::max(0, n)));
  if (f.show_dropped) {
    std::snprintf(buf, sizeof buf, "  dropped %.0f", f.dropped_iterations);
    out += buf;
  }
  if (f.p99_ms) {
    std::snprintf(buf, sizeof buf, "  p99 %s %.1fms", f.p99_of.c_str(), *f.p99_ms);
    out += buf;
  }
  return out;
}

}  // namespace drover::runner
