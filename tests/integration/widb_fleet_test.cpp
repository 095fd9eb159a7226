// scenarios/load/widb-fleet.lua, small, against the real WiDB fake: every line a phone sends
// reaches its dashboard once and in order, the end-to-end latency is a histogram in the
// report, and a fake that loses entries makes the run fail.
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
  return run_process({drover, "run", root + "/scenarios/load/widb-fleet.lua", "--target", fake.url("/ws" + query),
                      "--vus", "54", "--duration", "5s", "--ramp-up", "1s", "--env", "PHONES=50", "--env",
                      "START_DELAY_MS=500", "--env", "GRACE_MS=2000",
                      // Accounting is what this test is about; latency on a shared CI core is not.
                      "--env", "E2E_P99_MS=10000", "--out", out, "--quiet"});
}

TEST(WidbFleet, FiftyPhonesAndFourDashboardsLoseNothing) {
  fake_process fake("widb");
  auto out = temp_dir("widb-fleet");
  auto r = run_fleet(fake, out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_GT(count_of(doc, "widb_lines_sent"), 1000);
  // One dashboard per apiKey (KEYS = DASHBOARDS): each line is delivered exactly once.
  EXPECT_EQ(count_of(doc, "widb_lines_delivered"), count_of(doc, "widb_lines_sent"));
  EXPECT_EQ(count_of(doc, "widb_metrics_delivered"), count_of(doc, "widb_metrics_sent"));
  EXPECT_EQ(count_of(doc, "widb_lost"), 0);
  EXPECT_EQ(count_of(doc, "widb_duplicates"), 0);
  EXPECT_EQ(count_of(doc, "widb_silent_phones"), 0);
  EXPECT_EQ(count_of(doc, "widb_e2e"), count_of(doc, "widb_dumps_sent"));
  auto html = read_file(out + "/report.html");
  EXPECT_NE(html.find("histogram of widb_e2e"), std::string::npos) << "the latency histogram is in the report";
}

TEST(WidbFleet, LostEntriesFailTheRun) {
  fake_process fake("widb");
  auto out = temp_dir("widb-fleet-lost");
  auto r = run_fleet(fake, out, "?fault=entries-lost");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_GT(count_of(doc, "widb_lost"), 0);
  EXPECT_NE(r.out.find("widb_lost"), std::string::npos);
}

}  // namespace
}  // namespace drover::test
