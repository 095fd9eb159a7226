#include "fleet_fixture.hpp"

#include "fixtures.hpp"

namespace drover::reporting::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

json::object trend(double count, double p50, double p95, double p99, double max) {
  return json::object{{"count", count}, {"p50", p50}, {"p95", p95}, {"p99", p99}, {"max", max}};
}

json::object point(std::int64_t t, std::int64_t end, int clients, int opened, int closed, int sent, int received,
                   int checks_failed, json::object errors, json::object close_codes, json::object trends) {
  return json::object{{"t_ms", t},
                      {"end_ms", end},
                      {"active_clients", clients},
                      {"sessions_opened", opened},
                      {"sessions_closed", closed},
                      {"msgs_sent", sent},
                      {"msgs_received", received},
                      {"bytes_sent", sent * 120},
                      {"bytes_received", received * 130},
                      {"iterations", opened},
                      {"dropped_iterations", 0},
                      {"checks_passed", received},
                      {"checks_failed", checks_failed},
                      {"errors", std::move(errors)},
                      {"close_codes", std::move(close_codes)},
                      {"trends", std::move(trends)}};
}

metrics::threshold_result threshold(std::string metric, std::string aggregation, std::string op, double value,
                                    std::string source, bool ok, double actual, std::string message) {
  metrics::threshold_result r;
  r.spec = {std::move(metric), std::move(aggregation), std::move(op), value, std::move(source)};
  r.ok = ok;
  r.actual = actual;
  r.message = std::move(message);
  return r;
}

}  // namespace

json::object sample_timeseries() {
  json::array points;
  points.push_back(point(0, 1000, 2, 2, 0, 10, 8, 0, {}, {},
                         {{"ws_connecting", trend(2, 1.2, 1.5, 1.5, 1.5)},
                          {"ws_connecting{scenario:phones}", trend(2, 1.2, 1.5, 1.5, 1.5)},
                          {"widb_e2e", trend(8, 3.1, 4.2, 4.4, 4.4)},
                          {"widb_e2e{scenario:dashboards}", trend(8, 3.1, 4.2, 4.4, 4.4)}}));
  points.push_back(point(1000, 2000, 4, 2, 0, 40, 40, 0, {{"connection_refused", 1}}, {},
                         {{"ws_connecting", trend(2, 1.8, 2.9, 2.9, 2.9)},
                          {"ws_connecting{scenario:phones}", trend(2, 1.8, 2.9, 2.9, 2.9)},
                          {"widb_e2e", trend(40, 3.4, 5.0, 6.1, 6.2)},
                          {"widb_e2e{scenario:dashboards}", trend(40, 3.4, 5.0, 6.1, 6.2)}}));
  points.push_back(point(2000, 3000, 6, 2, 0, 60, 58, 2, {}, {{"1006", 1}},
                         {{"ws_connecting", trend(2, 2.2, 3.0, 3.0, 3.0)},
                          {"ws_connecting{scenario:phones}", trend(2, 2.2, 3.0, 3.0, 3.0)},
                          {"widb_e2e", trend(58, 9.5, 21.0, 30.2, 31.5)},
                          {"widb_e2e{scenario:dashboards}", trend(58, 9.5, 21.0, 30.2, 31.5)}}));
  points.push_back(point(3000, 4000, 6, 0, 0, 60, 60, 0, {}, {},
                         {{"widb_e2e", trend(60, 12.0, 25.5, 40.0, 44.8)},
                          {"widb_e2e{scenario:dashboards}", trend(60, 12.0, 25.5, 40.0, 44.8)}}));
  points.push_back(point(4000, 5000, 6, 0, 0, 60, 59, 0, {{"lua_error", 1}}, {},
                         {{"widb_e2e", trend(59, 4.0, 6.5, 7.0, 7.2)},
                          {"widb_e2e{scenario:dashboards}", trend(59, 4.0, 6.5, 7.0, 7.2)}}));
  points.push_back(point(5000, 5500, 3, 0, 3, 20, 20, 0, {}, {{"1000", 3}},
                         {{"widb_e2e", trend(20, 3.0, 4.0, 4.1, 4.1)},
                          {"widb_e2e{scenario:dashboards}", trend(20, 3.0, 4.0, 4.1, 4.1)}}));
  return json::object{{"interval_ms", 1000}, {"started_unix_s", 1714564800.0}, {"points", std::move(points)}};
}

json::object sample_fleet_document() {
  metrics::recorder phones, dashboards;
  for (double v : {1.2, 1.5, 1.8, 2.9, 2.2, 3.0}) phones.trend(metrics::names::ws_connecting).add(v);
  phones.add_counter(metrics::names::iterations, 6);
  phones.add_counter(metrics::names::ws_msgs_sent, 250);
  for (int i = 0; i < 6; ++i) phones.add_check("phone connected", true);
  for (int i = 0; i < 245; ++i) dashboards.trend("widb_e2e").add(3.0 + (i % 50) * 0.8 + (i % 100 == 7 ? 40.0 : 0.0));
  dashboards.add_counter(metrics::names::ws_msgs_received, 245);
  for (int i = 0; i < 243; ++i) dashboards.add_check("line arrived", true);
  for (int i = 0; i < 2; ++i) dashboards.add_check("line arrived", false, "line 17 missing");
  dashboards.add_error("lua_error", "dashboards.lua:40: attempt to index a nil value");
  phones.add_error("connection_refused", "connect 127.0.0.1:9200: Connection refused");
  phones.add_close_code(1006);
  for (int i = 0; i < 3; ++i) dashboards.add_close_code(1000);

  metrics::recorder merged;
  merged.merge(phones);
  merged.merge(dashboards);
  merged.merge_metrics_tagged(phones, "scenario:phones");
  merged.merge_metrics_tagged(dashboards, "scenario:dashboards");

  run_info info = sample_run_info();
  info.scenario = "scenarios/load/mixed-fleet.lua";
  info.vus = 6;
  info.duration = 5s;
  info.ramp_up = 0s;
  info.elapsed_seconds = 5.5;
  info.ended_at = info.started_at + 5500ms;
  info.vus_started = 6;
  info.vus_connected = 6;
  info.executor = "constant-vus";
  info.scenarios = {
      {"phones", "constant-vus", "phone", {{"protocol", "widb"}, {"scenario", "phones"}}, 0ms, 5s, 4},
      {"dashboards", "per-vu-iterations", "dashboard", {{"scenario", "dashboards"}}, 500ms, 5s, 2},
  };
  const std::vector<metrics::threshold_result> thresholds = {
      threshold("widb_e2e{scenario:dashboards}", "p99", "<", 100, "widb_e2e{scenario:dashboards}.p99 < 100", true,
                43.8, "widb_e2e{scenario:dashboards}.p99 = 43.8 ms, wanted < 100"),
      threshold("iterations{scenario:phones}", "count", ">", 10, "iterations{scenario:phones}.count > 10", false, 6,
                "iterations{scenario:phones}.count = 6, wanted > 10"),
      threshold("ws_connecting", "p95", "<", 50, "ws_connecting.p95 < 50", true, 3, "ws_connecting.p95 = 3 ms, wanted < 50"),
  };
  auto doc = build_result_document(info, merged, thresholds, {1, "thresholds_breached", "1 of 3 thresholds breached"},
                                   nullptr, nullptr);
  doc["timeseries"] = sample_timeseries();
  return doc;
}

}  // namespace drover::reporting::testing
