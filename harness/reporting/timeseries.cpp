#include "harness/reporting/timeseries.hpp"

#include <algorithm>

#include "harness/reporting/document_parts.hpp"

namespace drover::reporting {

std::uint32_t timeseries_table::name_index(const std::string& name) {
  // Few distinct names (trends and error kinds), looked up once per interval each.
  auto it = std::find(names_.begin(), names_.end(), name);
  if (it != names_.end()) return static_cast<std::uint32_t>(it - names_.begin());
  names_.push_back(name);
  return static_cast<std::uint32_t>(names_.size() - 1);
}

void timeseries_table::on_interval(const metrics::interval_point& p) {
  if (rows_.empty()) started_unix_s_ = p.unix_start_s - static_cast<double>(p.start_ms) / 1000.0;
  row r{p.start_ms, p.end_ms, p.active_clients, p.sessions_opened, p.sessions_closed, p.msgs_sent,
        p.msgs_received, p.bytes_sent, p.bytes_received, p.iterations, p.dropped_iterations, p.checks_passed,
        p.checks_failed, {}, {}, {}};
  for (const auto& [kind, n] : p.errors_by_kind) r.errors.emplace_back(name_index(kind), n);
  r.close_codes.assign(p.close_codes.begin(), p.close_codes.end());
  for (const auto& [name, t] : p.trends) {
    const auto& h = t.values;
    if (h.count() == 0) continue;
    r.trends.push_back({name_index(name), h.count(), h.value_at_percentile(50), h.value_at_percentile(95),
                        h.value_at_percentile(99), h.max()});
  }
  r.errors.shrink_to_fit();
  r.trends.shrink_to_fit();
  rows_.push_back(std::move(r));
}

boost::json::object timeseries_table::to_json() const {
  using detail::count_value;
  auto unit_value = [](std::int64_t thousandths) { return detail::rounded(static_cast<double>(thousandths) / 1000.0, 3); };
  boost::json::array points;
  points.reserve(rows_.size());
  for (const auto& r : rows_) {
    boost::json::object errors, codes, trends;
    for (const auto& [kind, n] : r.errors) errors[names_[kind]] = count_value(n);
    for (const auto& [code, n] : r.close_codes) codes[std::to_string(code)] = count_value(n);
    for (const auto& t : r.trends)
      trends[names_[t.name]] = {{"count", count_value(t.count)}, {"p50", unit_value(t.p50)},
                                {"p95", unit_value(t.p95)},      {"p99", unit_value(t.p99)},
                                {"max", unit_value(t.max)}};
    points.push_back({{"t_ms", r.t_ms},
                      {"end_ms", r.end_ms},
                      {"active_clients", r.active_clients},
                      {"sessions_opened", count_value(r.sessions_opened)},
                      {"sessions_closed", count_value(r.sessions_closed)},
                      {"msgs_sent", count_value(r.msgs_sent)},
                      {"msgs_received", count_value(r.msgs_received)},
                      {"bytes_sent", count_value(r.bytes_sent)},
                      {"bytes_received", count_value(r.bytes_received)},
                      {"iterations", count_value(r.iterations)},
                      {"dropped_iterations", count_value(r.dropped_iterations)},
                      {"checks_passed", count_value(r.checks_passed)},
                      {"checks_failed", count_value(r.checks_failed)},
                      {"errors", std::move(errors)},
                      {"close_codes", std::move(codes)},
                      {"trends", std::move(trends)}});
  }
  return {{"interval_ms", interval_ms_}, {"started_unix_s", detail::rounded(started_unix_s_, 3)},
          {"points", std::move(points)}};
}

}  // namespace drover::reporting
