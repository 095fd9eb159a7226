// scenarios/load/vstats-fleet.lua, small (50 agents, 4 dashboards, 5 s), against the vStats
// fake: every report reaches every dashboard once and in order, the end-to-end latency is a
// histogram in the report, and a fake that duplicates or drops reports makes the run fail.
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

process_result run_fleet(const fake_process& fake, const std::string& out, const std::string& query = "") {
  return run_process({drover, "run", root + "/scenarios/load/vstats-fleet.lua", "--target", fake.url("/" + query),
                      "--vus", "54", "--duration", "5s", "--ramp-up", "1s", "--env", "REPORT_MS=300", "--env",
                      "START_DELAY_MS=500", "--env", "GRACE_MS=2000", "--out", out, "--quiet"});
}

TEST(VstatsFleet, FiftyAgentsAndFourDashboardsLoseNothing) {
  fake_process fake("vstats", {"--report-interval", "1000"});
  auto out = temp_dir("vstats-fleet");
  auto r = run_fleet(fake, out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  double sent = count_of(doc, "vstats_reports_sent");
  EXPECT_GT(sent, 400) << "50 agents, a report every 300 ms for about 3.5 s";
  EXPECT_EQ(count_of(doc, "vstats_delivered"), 4 * sent) << "every report reaches each of the 4 dashboards";
  EXPECT_EQ(count_of(doc, "vstats_lost"), 0);
  EXPECT_EQ(count_of(doc, "vstats_duplicates"), 0);
  EXPECT_EQ(count_of(doc, "vstats_out_of_order"), 0);
  EXPECT_EQ(count_of(doc, "vstats_unfinished"), 0);
  EXPECT_GE(count_of(doc, "vstats_e2e"), 4 * sent) << "a latency per delivered report (and per end marker)";
  auto html = read_file(out + "/report.html");
  EXPECT_NE(html.find("vstats_e2e"), std::string::npos) << "the latency trend is in the report";
  EXPECT_NE(doc.at("metrics").as_object().at("vstats_e2e").as_object().if_contains("histogram"), nullptr);
}

TEST(VstatsFleet, DuplicatedReportsFailTheRun) {
  fake_process fake("vstats", {"--report-interval", "1000"});
  auto out = temp_dir("vstats-fleet-dup");
  auto r = run_fleet(fake, out, "?fault=metrics-duplicate");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_GT(count_of(doc, "vstats_duplicates"), 0);
  EXPECT_NE(r.out.find("vstats_duplicates"), std::string::npos);
}

TEST(VstatsFleet, ReportsNotForwardedFailTheRun) {
  fake_process fake("vstats", {"--report-interval", "1000"});
  auto out = temp_dir("vstats-fleet-lost");
  auto r = run_fleet(fake, out, "?fault=metrics-not-forwarded");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_EQ(count_of(doc, "vstats_delivered"), 0);
  EXPECT_EQ(count_of(doc, "vstats_unfinished"), 4 * 50) << "each dashboard saw 50 agents come online and no report";
}

}  // namespace
}  // namespace drover::test
