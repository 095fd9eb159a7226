// `drover run --prometheus-rw` against a real Prometheus (Debian's `prometheus` package, installed
// by setup.sh): its remote-write receiver on loopback with a temporary data folder. A short run
// against the echo fake writes its intervals there; Prometheus' HTTP query API must then hold
// the counts drover reported in summary.json. And a receiver that is not there does not fail
// the run: the run's results are written and the failed writes are reported.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/integration/summary_schema.hpp"
#include "tests/support/process.hpp"
#include "tests/integration/summary_read.hpp"

namespace drover::test {
namespace {

using namespace std::chrono_literals;

const std::string root = DROVER_SOURCE_ROOT;
const std::string drover = DROVER_BINARY;
const std::string prometheus_binary = "/usr/bin/prometheus";

struct http_reply {
  int status = 0;  // 0: no answer (nothing listening, or the connection failed)
  std::string body;
};

// GET over HTTP/1.0 on 127.0.0.1 (the server closes after answering, no chunking): enough for
// Prometheus' API, without a client library in the test.
http_reply http_get(int port, const std::string& target) {
  http_reply reply;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  timeval limit{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string request = "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buffer[8192];
      ssize_t n;
      while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) response.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  auto head_end = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos || response.size() < 12) return reply;
  reply.status = std::stoi(response.substr(9, 3));
  reply.body = response.substr(head_end + 4);
  return reply;
}

std::string url_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A Prometheus of its own: remote-write receiver on, loopback only, data and log in a temporary
// folder; stopped by pid (SIGTERM, then SIGKILL) when the object goes away.
class prometheus_server {
 public:
  prometheus_server() : dir_(temp_dir("prometheus")), port_(unused_port()) {
    std::ofstream(dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1h\n";  // scrapes nothing
    // exec: the child's pid is Prometheus' own, so that stopping it stops Prometheus.
    process_.emplace(std::vector<std::string>{
        "/bin/sh", "-c",
        "exec " + prometheus_binary + " --config.file=" + dir_ + "/prometheus.yml --storage.tsdb.path=" + dir_ +
            "/data --web.listen-address=127.0.0.1:" + std::to_string(port_) +
            " --web.enable-remote-write-receiver 2>" + dir_ + "/prometheus.log"});
  }
  ~prometheus_server() {
    process_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Waits (generously: a loaded machine, a sanitizer build beside it) for /-/ready.
  bool wait_ready() {
    for (auto deadline = std::chrono::steady_clock::now() + 120s; std::chrono::steady_clock::now() < deadline;) {
      if (http_get(port_, "/-/ready").status == 200) return true;
      if (process_->wait(0ms) != -1) return false;  // it exited (port taken, bad flag): see log()
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::string write_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/write"; }
  std::string log() const { return read_file(dir_ + "/prometheus.log"); }

  // An instant PromQL query: the values of its result vector (empty when it has none).
  std::vector<double> query(const std::string& promql) {
    http_reply reply = http_get(port_, "/api/v1/query?query=" + url_encode(promql));
    EXPECT_EQ(reply.status, 200) << promql << "\n" << reply.body;
    std::vector<double> values;
    if (reply.status != 200) return values;
    auto doc = boost::json::parse(reply.body).as_object();
    for (const auto& sample : doc.at("data").at("result").as_array())
      values.push_back(std::stod(std::string(sample.at("value").as_array().at(1).as_string())));
    return values;
  }

  // The one value of a query whose result must be a single series; -1 when it is not.
  double single(const std::string& promql) {
    auto values = query(promql);
    EXPECT_EQ(values.size(), 1u) << promql;
    return values.size() == 1 ? values[0] : -1;
  }

 private:
  std::string dir_;
  int port_;
  std::optional<child_process> process_;
};

std::vector<std::string> echo_run(const std::string& target, const std::string& out) {
  return {drover, "run", root + "/scenarios/examples/echo.lua", "--target", target, "--vus", "5", "--duration", "3s",
          "--ramp-up", "1s", "--workers", "2", "--out", out};
}

TEST(PrometheusRemoteWrite, PrometheusHoldsTheCountsOfTheRun) {
  ASSERT_TRUE(std::filesystem::exists(prometheus_binary))
      << prometheus_binary << " is missing: ./setup.sh installs Debian's prometheus package";
  prometheus_server prometheus;
  ASSERT_TRUE(prometheus.wait_ready()) << prometheus.log();

  fake_process fake("echo");
  auto out = temp_dir("prometheus-rw");
  const std::string testid = "it-" + std::to_string(::getpid()) + "-" +
                             std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  auto argv = echo_run(fake.url(), out);
  argv.insert(argv.end(), {"--prometheus-rw", prometheus.write_url(), "--prometheus-label", "testid=" + testid});
  auto r = run_process(argv);
  auto doc = load_summary(out);
  ASSERT_TRUE(r.exit_code == 0 ||
              (r.exit_code == 1 && doc.at("outcome").at("status").as_string() == "thresholds_breached"))
      << r.exit_code << "\n" << r.err;
  EXPECT_NE(r.err.find("drover: prometheus remote write: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("failed"), std::string::npos) << r.err << prometheus.log();

  const std::string sel = "{testid=\"" + testid + "\"}";
  auto last = [&](const std::string& name, const std::string& labels = "") {
    std::string selector = labels.empty() ? sel : "{testid=\"" + testid + "\"," + labels + "}";
    return prometheus.single("last_over_time(" + name + selector + "[1h])");
  };
  // Counters: their last value is the run's total, as summary.json counts it.
  EXPECT_GT(metric(doc, "ws_msgs_sent", "count"), 0);
  EXPECT_EQ(last("drover_ws_msgs_sent_total"), metric(doc, "ws_msgs_sent", "count"));
  EXPECT_EQ(last("drover_ws_msgs_received_total"), metric(doc, "ws_msgs_received", "count"));
  EXPECT_EQ(last("drover_ws_sessions_total"), metric(doc, "ws_sessions", "count"));
  EXPECT_EQ(last("drover_data_sent_bytes_total"), metric(doc, "data_sent", "count"));
  EXPECT_EQ(last("drover_ws_connecting_count"), metric(doc, "ws_connecting", "count"));
  EXPECT_EQ(last("drover_echo_rtt_count"), metric(doc, "echo_rtt", "count"));
  EXPECT_EQ(last("drover_checks_total", "result=\"pass\""), metric(doc, "checks", "passes"));
  EXPECT_EQ(last("drover_checks_total", "result=\"fail\""), metric(doc, "checks", "fails"));
  // The first sample of a counter is 0 at the run's start, so increase() sees the whole run.
  EXPECT_EQ(prometheus.single("min_over_time(drover_ws_msgs_sent_total" + sel + "[1h])"), 0);

  // One write per interval of summary.json's time series, every one accepted: drover_vus has a
  // sample per interval, and its largest value is the run's client count.
  const auto& points = doc.at("timeseries").at("points").as_array();
  ASSERT_FALSE(points.empty());
  EXPECT_EQ(prometheus.single("count_over_time(drover_vus" + sel + "[1h])"), static_cast<double>(points.size()));
  EXPECT_EQ(prometheus.single("max_over_time(drover_vus" + sel + "[1h])"), 5);

  // Trend gauges per interval, in seconds: the largest interval max is the run's max (ms).
  EXPECT_NEAR(prometheus.single("max_over_time(drover_echo_rtt_max" + sel + "[1h])") * 1000,
              metric(doc, "echo_rtt", "max"), metric(doc, "echo_rtt", "max") * 0.002 + 0.002);
  EXPECT_EQ(prometheus.query("drover_echo_rtt_p99" + sel).size(), 1u);
}

TEST(PrometheusRemoteWrite, AReceiverThatIsNotThereDoesNotFailTheRun) {
  fake_process fake("echo");
  auto out = temp_dir("prometheus-rw-dead");
  auto argv = echo_run(fake.url(), out);
  argv.push_back("--prometheus-rw");
  argv.push_back("http://127.0.0.1:" + std::to_string(unused_port()) + "/api/v1/write");
  auto r = run_process(argv);
  auto doc = load_summary(out);
  EXPECT_TRUE(r.exit_code == 0 ||
              (r.exit_code == 1 && doc.at("outcome").at("status").as_string() == "thresholds_breached"))
      << r.exit_code << "\n" << r.err;
  EXPECT_GT(metric(doc, "ws_msgs_sent", "count"), 0);
  EXPECT_NE(r.err.find("drover: prometheus remote write to http://127.0.0.1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the run goes on"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" failed, 0 dropped; first error: "), std::string::npos) << r.err;
  // summary.json counts each failed write as an error of kind prometheus_rw (not a ws error).
  std::uint64_t failed_writes = 0;
  for (const auto& e : doc.at("errors").as_array())
    if (e.at("kind").as_string() == "prometheus_rw") failed_writes = e.at("count").to_number<std::uint64_t>();
  EXPECT_EQ(failed_writes, doc.at("timeseries").at("points").as_array().size());
  auto violations = summary_schema_violations(doc);
  EXPECT_TRUE(violations.empty()) << violations.front();
}

TEST(PrometheusRemoteWrite, FlagMistakesAreUsageErrors) {
  auto out = temp_dir("prometheus-rw-usage");
  auto bad_url = run_process({drover, "run", root + "/scenarios/examples/echo.lua", "--prometheus-rw",
                              "ws://127.0.0.1:9090/api/v1/write", "--out", out});
  EXPECT_EQ(bad_url.exit_code, 2) << bad_url.err;
  EXPECT_NE(bad_url.err.find("the scheme must be http:// or https://"), std::string::npos) << bad_url.err;
  auto bad_label = run_process({drover, "run", root + "/scenarios/examples/echo.lua", "--prometheus-rw",
                                "http://127.0.0.1:9090/api/v1/write", "--prometheus-label", "test-id=1", "--out", out});
  EXPECT_EQ(bad_label.exit_code, 2) << bad_label.err;
  EXPECT_NE(bad_label.err.find("'test-id' is not a Prometheus label name"), std::string::npos) << bad_label.err;
  auto label_alone = run_process({drover, "run", root + "/scenarios/examples/echo.lua", "--prometheus-label",
                                  "testid=1", "--out", out});
  EXPECT_EQ(label_alone.exit_code, 2) << label_alone.err;
}

}  // namespace
}  // namespace drover::test
