// scenarios/load/datakraken-fleet.lua, small, against the real DataKraken fake: every event a
// browser sends is counted in its session's record, HTTP and WebSocket figures are in the
// summary and the report, and a fake that loses events makes the run fail.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

double count_of(const boost::json::object& doc, const std::string& name) {
  const auto* m = doc.at("metrics").as_object().if_contains(name);
  return m ? m->as_object().at("count").to_number<double>() : -1;
}

// Visits of 3 s with a 30-move burst every 500 ms: about 180 events each, so that a fault
// losing every 100th event of a session shows in every full visit.
process_result run_fleet(const fake_process& fake, const std::string& out, const std::string& query = "") {
  return run_process({drover, "run", root + "/scenarios/load/datakraken-fleet.lua", "--target", fake.url("/ws" + query),
                      "--vus", "40", "--duration", "6s", "--ramp-up", "1s", "--env", "VISIT_MS=3000", "--env",
                      "BURST_EVERY_MS=500", "--env", "THINK_MS=300",
                      // Accounting is what this test is about; latency on a shared CI core is not.
                      "--env", "TICKET_P99_MS=10000", "--out", out, "--quiet"});
}

TEST(DatakrakenFleet, FortyBrowsersLoseNothing) {
  fake_process fake("datakraken");
  auto out = temp_dir("datakraken-fleet");
  auto r = run_fleet(fake, out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_GT(count_of(doc, "dk_events_sent"), 2000);
  EXPECT_EQ(count_of(doc, "dk_events_recorded"), count_of(doc, "dk_events_sent"));
  EXPECT_EQ(count_of(doc, "dk_events_sent"), count_of(doc, "dk_clicks_sent") + count_of(doc, "dk_moves_sent"));
  EXPECT_EQ(count_of(doc, "dk_lost"), 0);
  EXPECT_EQ(count_of(doc, "dk_extra"), 0);
  EXPECT_EQ(count_of(doc, "dk_unverified"), 0);
  EXPECT_EQ(count_of(doc, "dk_ended_cleanly_wrong"), 0);
  EXPECT_EQ(count_of(doc, "dk_visitor_changed"), 0);
  double visits = count_of(doc, "dk_visits");
  EXPECT_GT(visits, 40) << "browsers come back for a second visit (with their cookie)";
  EXPECT_GT(count_of(doc, "dk_visits_abandoned"), 0) << "a share of visits ends without end";
  EXPECT_LT(count_of(doc, "dk_visits_abandoned"), visits);
  // Per visit: a ticket, and at least one read of the record; one socket.
  EXPECT_GE(count_of(doc, "http_reqs"), 2 * visits);
  EXPECT_EQ(count_of(doc, "ws_sessions"), visits);
  EXPECT_EQ(count_of(doc, "http_req_duration"), count_of(doc, "http_reqs"));
  auto html = read_file(out + "/report.html");
  EXPECT_NE(html.find("http_req_duration"), std::string::npos) << "HTTP timings are in the report";
  EXPECT_NE(html.find("ws_session_duration"), std::string::npos) << "WebSocket figures are in the report";
  EXPECT_NE(html.find("dk_events_recorded"), std::string::npos);
}

TEST(DatakrakenFleet, LostEventsFailTheRun) {
  fake_process fake("datakraken");
  auto out = temp_dir("datakraken-fleet-lost");
  auto r = run_fleet(fake, out, "?fault=lose-events");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_GT(count_of(doc, "dk_lost"), 0);
  EXPECT_LT(count_of(doc, "dk_events_recorded"), count_of(doc, "dk_events_sent"));
  EXPECT_NE(r.out.find("dk_lost"), std::string::npos);
}

}  // namespace
}  // namespace drover::test
