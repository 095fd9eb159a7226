// scenarios/load/remotedev-fleet.lua, small (50 apps, 2 monitors, 5 s), against the RemoteDev
// fake in both SocketCluster versions: every message an app logs reaches both monitors once and
// in order, every app that leaves is announced DISCONNECTED, every monitor message reaches the
// apps, the end-to-end latency is a histogram in summary.json and report.html; and a fake that
// drops relays or notices makes the run fail on the threshold that names it.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace drover::test {
namespace {

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;

constexpr int apps = 50;
constexpr int monitors = 2;

double count_of(const boost::json::object& doc, const std::string& name) {
  const auto* m = doc.at("metrics").as_object().if_contains(name);
  return m ? m->as_object().at("count").to_number<double>() : -1;
}

process_result run_fleet(const fake_process& fake, const std::string& out, const std::string& version,
                         const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv{drover, "run", root + "/scenarios/load/remotedev-fleet.lua", "--target",
                                fake.url("/socketcluster/"), "--duration", "5s", "--ramp-up", "1s",
                                "--env", "APPS=" + std::to_string(apps), "--env", "MONITORS=" + std::to_string(monitors),
                                "--env", "PROTOCOL=" + version, "--env", "ACTION_MS=200", "--env", "DISPATCH_MS=500",
                                "--env", "START_DELAY_MS=500", "--env", "GRACE_MS=4000",
                                // Accounting is what this test is about; latency on a shared CI core is not.
                                "--env", "E2E_P99_MS=10000", "--out", out, "--quiet"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv);
}

// What every clean run must show, whatever the version.
void expect_nothing_lost(const boost::json::object& doc, const std::string& out) {
  double logged = count_of(doc, "remotedev_logged");
  EXPECT_GT(logged, 500) << "50 apps, an ACTION every 200 ms for about 3.5 s";
  EXPECT_EQ(count_of(doc, "remotedev_delivered"), monitors * logged) << "every logged message reaches both monitors";
  EXPECT_EQ(count_of(doc, "remotedev_actions_delivered"), monitors * count_of(doc, "remotedev_actions_sent"));
  EXPECT_EQ(count_of(doc, "remotedev_e2e"), count_of(doc, "remotedev_actions_delivered")) << "a latency per ACTION received";
  for (const char* zero : {"remotedev_lost", "remotedev_duplicates", "remotedev_out_of_order", "remotedev_unfinished",
                           "remotedev_silent_apps", "remotedev_disconnected_missing", "remotedev_id_conflicts",
                           "remotedev_foreign", "remotedev_respond_lost", "remotedev_respond_duplicates",
                           "remotedev_respond_out_of_order", "remotedev_respond_unfinished"}) {
    EXPECT_EQ(count_of(doc, zero), 0) << zero;
  }
  EXPECT_EQ(count_of(doc, "remotedev_disconnected_seen"), monitors * apps) << "each monitor saw each app leave";
  // Monitor -> app: each monitor's START, DISPATCHes and last STOP reach the apps.
  EXPECT_GT(count_of(doc, "remotedev_dispatch_sent"), 0);
  EXPECT_GE(count_of(doc, "remotedev_respond_received"), apps * monitors) << "at least each monitor's last STOP";
  EXPECT_EQ(count_of(doc, "remotedev_respond_e2e"), count_of(doc, "remotedev_respond_received"));
  EXPECT_GE(count_of(doc, "remotedev_dispatch_received"), count_of(doc, "remotedev_dispatch_sent"));
  auto metrics = doc.at("metrics").as_object();
  EXPECT_NE(metrics.at("remotedev_e2e").as_object().if_contains("histogram"), nullptr) << "the e2e histogram is in summary.json";
  auto html = read_file(out + "/report.html");
  EXPECT_NE(html.find("histogram of remotedev_e2e"), std::string::npos) << "the e2e histogram is in the report";
}

TEST(RemotedevFleet, FiftyAppsAndTwoMonitorsLoseNothingOnV2) {
  fake_process fake("remotedev", {"--protocol", "v2"});
  auto out = temp_dir("remotedev-fleet-v2");
  auto r = run_fleet(fake, out, "v2");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  expect_nothing_lost(doc, out);
  // No monitor pauses the apps here, so each DISPATCH reaches its app before that monitor's
  // last STOP does (one channel, in order) and is answered with a STATE.
  EXPECT_EQ(count_of(doc, "remotedev_dispatch_applied"), count_of(doc, "remotedev_dispatch_sent"));
  EXPECT_EQ(count_of(doc, "remotedev_dispatch_answered"), count_of(doc, "remotedev_dispatch_sent"));
  EXPECT_EQ(count_of(doc, "remotedev_dispatch_rtt"), count_of(doc, "remotedev_dispatch_sent"));
  EXPECT_LE(count_of(doc, "remotedev_actions_paused"), 0) << "nobody paused (the counter is absent or 0)";
}

TEST(RemotedevFleet, FiftyAppsAndTwoMonitorsLoseNothingOnV1WhilePaused) {
  fake_process fake("remotedev", {"--protocol", "v1"});
  auto out = temp_dir("remotedev-fleet-v1");
  // Monitor 1 stops the apps every 1.5 s and starts them 0.5 s later.
  auto r = run_fleet(fake, out, "v1", {"--env", "PAUSE_EVERY_MS=1500", "--env", "PAUSE_MS=500"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  expect_nothing_lost(doc, out);
  EXPECT_GE(count_of(doc, "remotedev_stop_received"), apps) << "every app got at least one STOP";
  EXPECT_GE(count_of(doc, "remotedev_start_received"), count_of(doc, "remotedev_stop_received"))
      << "every STOP is followed by a START";
  EXPECT_GT(count_of(doc, "remotedev_actions_paused"), 0) << "apps held actions back while stopped";
}

TEST(RemotedevFleet, LogNotRelayedFailsTheRun) {
  // Apps that relay with `log` (every odd one) never reach the monitors; log-noid still does.
  fake_process fake("remotedev", {"--fault", "log-not-relayed"});
  auto out = temp_dir("remotedev-fleet-log-lost");
  auto r = run_fleet(fake, out, "v2");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_EQ(count_of(doc, "remotedev_silent_apps"), monitors * apps / 2);
  EXPECT_NE(r.out.find("remotedev_silent_apps"), std::string::npos) << "the breached threshold is named";
}

TEST(RemotedevFleet, MissingDisconnectedFailsTheRun) {
  fake_process fake("remotedev", {"--fault", "no-disconnected"});
  auto out = temp_dir("remotedev-fleet-no-disconnected");
  auto r = run_fleet(fake, out, "v2");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_EQ(count_of(doc, "remotedev_disconnected_missing"), monitors * apps);
  EXPECT_EQ(count_of(doc, "remotedev_lost"), 0) << "the messages themselves all arrived";
  EXPECT_NE(r.out.find("remotedev_disconnected_missing"), std::string::npos) << "the breached threshold is named";
}

TEST(RemotedevFleet, RespondNotRelayedFailsTheRun) {
  // The monitor -> app direction: no monitor message reaches an app, so no app sees the
  // monitors' last messages.
  fake_process fake("remotedev", {"--fault", "respond-not-relayed"});
  auto out = temp_dir("remotedev-fleet-respond-lost");
  auto r = run_fleet(fake, out, "v2");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto doc = boost::json::parse(read_file(out + "/summary.json")).as_object();
  EXPECT_EQ(count_of(doc, "remotedev_respond_unfinished"), monitors * apps);
  EXPECT_EQ(count_of(doc, "remotedev_respond_received"), 0);
  EXPECT_NE(r.out.find("remotedev_respond_unfinished"), std::string::npos) << "the breached threshold is named";
}

}  // namespace
}  // namespace drover::test
