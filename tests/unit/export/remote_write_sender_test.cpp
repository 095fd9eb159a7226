// remote_write_sender against the in-process HTTP server: order and headers, retries of 5xx
// and not of 4xx, a dead receiver, a full queue dropping its oldest body, a request abandoned
// at finish(), and the sink's report to the user.
#include "harness/export/remote_write_sender.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <thread>

#include "harness/common/error.hpp"
#include "harness/export/prometheus_remote_write.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/ws_test_server.hpp"

namespace drover::exporting {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> bodies(const test::http_test_server& server) {
  std::vector<std::string> out;
  for (const auto& r : server.requests()) out.push_back(r.body);
  return out;
}

// Plain assignments instead of designated initializers: -Wextra warns about every member left out.
test::http_server_options serve(std::function<test::http_answer(const test::http_seen&)> handler) {
  test::http_server_options options;
  options.handler = std::move(handler);
  return options;
}

test::http_answer answer(int status, std::string body = "", int delay_ms = 0) {
  test::http_answer a;
  a.status = status;
  a.body = std::move(body);
  a.delay_ms = delay_ms;
  return a;
}

remote_write_options to(std::string url) {
  remote_write_options options;
  options.url = std::move(url);
  options.first_backoff = 1ms;
  return options;
}

std::string dead_url() { return "http://127.0.0.1:" + std::to_string(test::unused_port()) + "/api/v1/write"; }

TEST(RemoteWriteSender, PostsEachBodyInOrderWithTheRemoteWriteHeaders) {
  test::http_test_server server(serve([](const test::http_seen&) { return answer(204); }));
  remote_write_sender sender(to(server.url("/api/v1/write")));
  sender.enqueue("first");
  sender.enqueue(std::string("sec\0nd", 6));  // bodies are binary
  sender.enqueue("third");
  remote_write_stats stats = sender.finish(60s);
  EXPECT_EQ(stats.queued, 3u);
  EXPECT_EQ(stats.sent, 3u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_EQ(stats.first_error, "");
  EXPECT_EQ(bodies(server), (std::vector<std::string>{"first", std::string("sec\0nd", 6), "third"}));
  for (const auto& r : server.requests()) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/api/v1/write");
    EXPECT_EQ(r.header("Content-Encoding"), "snappy");
    EXPECT_EQ(r.header("Content-Type"), "application/x-protobuf");
    EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Version"), "0.1.0");
    EXPECT_FALSE(r.header("User-Agent").empty());
  }
}

TEST(RemoteWriteSender, RetriesA5xxButNotA4xx) {
  std::atomic<int> seen{0};
  test::http_test_server server(serve([&](const test::http_seen& r) {
    int n = seen.fetch_add(1);
    if (n == 0) return answer(503, "busy");
    if (r.body == "refused") return answer(400, "out of order sample\n");
    return answer(200);
  }));
  remote_write_sender sender(to(server.url("/w")));
  sender.enqueue("accepted-after-retry");
  sender.enqueue("refused");
  remote_write_stats stats = sender.finish(60s);
  EXPECT_EQ(stats.sent, 1u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.first_error, "HTTP 400 Bad Request: out of order sample");
  EXPECT_EQ(bodies(server), (std::vector<std::string>{"accepted-after-retry", "accepted-after-retry", "refused"}));
}

TEST(RemoteWriteSender, ADeadReceiverIsCountedAsFailedWrites) {
  remote_write_options options = to(dead_url());
  options.max_attempts = 2;
  remote_write_sender sender(options);
  for (int i = 0; i < 5; ++i) sender.enqueue("body");
  remote_write_stats stats = sender.finish(60s);
  EXPECT_EQ(stats.queued, 5u);
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(stats.failed, 5u);
  EXPECT_EQ(stats.dropped, 0u);
  EXPECT_NE(stats.first_error.find("refused"), std::string::npos) << stats.first_error;
}

TEST(RemoteWriteSender, AFullQueueDropsItsOldestBody) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  test::http_test_server server(serve([&](const test::http_seen& r) {
    if (r.body == "1") released.wait();
    return answer(200);
  }));
  remote_write_options options = to(server.url("/w"));
  options.max_queued = 2;
  remote_write_sender sender(options);
  for (const char* body : {"1", "2", "3", "4", "5"}) sender.enqueue(body);
  // "1" is in flight (its answer held back), "2".."5" pass through a queue of 2: 2 and 3 go.
  for (int i = 0; i < 10'000 && sender.stats().dropped < 2; ++i) std::this_thread::sleep_for(1ms);
  release.set_value();
  remote_write_stats stats = sender.finish(60s);
  EXPECT_EQ(stats.dropped, 2u);
  EXPECT_EQ(stats.sent, 3u);
  EXPECT_EQ(bodies(server), (std::vector<std::string>{"1", "4", "5"}));
}

TEST(RemoteWriteSender, FinishAbandonsARequestThatHasNoAnswer) {
  test::http_test_server server(serve([](const test::http_seen&) { return answer(200, "", 600'000); }));
  remote_write_options options = to(server.url("/w"));
  options.timeout = 600s;
  remote_write_sender sender(options);
  sender.enqueue("never answered");
  sender.enqueue("never sent");
  remote_write_stats stats = sender.finish(0ms);
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.dropped, 1u);
  EXPECT_NE(stats.first_error.find("abandoned at the run's end"), std::string::npos) << stats.first_error;
  EXPECT_EQ(sender.finish(0ms).failed, 1u) << "finish() again returns the same counts";
}

TEST(RemoteWriteSender, ANonHttpUrlIsAUsageError) {
  EXPECT_THROW(remote_write_sender(to("ws://127.0.0.1:9090/api/v1/write")), usage_error);
  EXPECT_THROW(remote_write_sender(to("http://127.0.0.1:notaport/")), usage_error);
}

// What the user reads: the sink reports failed writes on its message stream, and the run's
// own calls return as usual.
TEST(PrometheusRemoteWriteSink, ADeadReceiverIsReportedAndTheIntervalsStillReturn) {
  std::FILE* messages = std::tmpfile();
  ASSERT_NE(messages, nullptr);
  {
    prometheus_rw_settings settings;
    settings.url = dead_url();
    settings.labels = {{"testid", "dead"}};
    settings.end_wait = 60s;
    prometheus_remote_write sink(settings, messages);
    for (int i = 0; i < 3; ++i) {
      metrics::interval_point p;
      p.start_ms = i * 1000;
      p.end_ms = p.start_ms + 1000;
      p.unix_start_s = 1764340000.0 + i;
      p.msgs_sent = 10;
      sink.on_interval(p);
    }
    sink.on_end();
    EXPECT_EQ(sink.stats().failed, 3u);
    sink.on_end();  // a second end changes nothing

    metrics::recorder run;
    sink.add_failures_to(run);
    ASSERT_EQ(run.errors().count("prometheus_rw"), 1u);
    EXPECT_EQ(run.errors().at("prometheus_rw").count, 3u);
    ASSERT_FALSE(run.errors().at("prometheus_rw").samples.empty());
    EXPECT_EQ(run.errors().at("prometheus_rw").samples.front().rfind("prometheus remote write to http://127.0.0.1:", 0), 0u);
    EXPECT_EQ(run.errors().size(), 1u);
  }
  std::rewind(messages);
  std::string text;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, messages)) text += buffer;
  std::fclose(messages);
  EXPECT_NE(text.find("drover: prometheus remote write to http://127.0.0.1:"), std::string::npos) << text;
  EXPECT_NE(text.find("the run goes on"), std::string::npos) << text;
  EXPECT_NE(text.find("0 of 3 write(s) sent, 3 failed, 0 dropped; first error: "), std::string::npos) << text;
}

// A receiver that accepts the connection and never answers: the intervals still return (the
// request waits on the sender's thread), and the end gives up after end_wait.
TEST(PrometheusRemoteWriteSink, AReceiverThatNeverAnswersHoldsNothingUp) {
  test::http_test_server server(serve([](const test::http_seen&) { return answer(200, "", 600'000); }));
  std::FILE* messages = std::tmpfile();
  ASSERT_NE(messages, nullptr);
  prometheus_rw_settings settings;
  settings.url = server.url("/api/v1/write");
  settings.timeout = 600s;
  settings.end_wait = 0ms;
  {
    prometheus_remote_write sink(settings, messages);
    for (int i = 0; i < 5; ++i) {
      metrics::interval_point p;
      p.start_ms = i * 1000;
      p.end_ms = p.start_ms + 1000;
      p.unix_start_s = 1764340000.0 + i;
      sink.on_interval(p);
    }
    sink.on_end();
    remote_write_stats stats = sink.stats();
    EXPECT_EQ(stats.queued, 5u);
    EXPECT_EQ(stats.sent, 0u);
    EXPECT_EQ(stats.failed + stats.dropped, 5u);  // the one in flight abandoned, the rest never sent
  }
  std::fclose(messages);
}

TEST(PrometheusRemoteWriteSink, TheFlagsBecomeSettings) {
  auto settings = prometheus_rw_settings_for("https://prom.example:9090/api/v1/write", {"testid=t1", "team=ws"},
                                             "/etc/ca.pem", true);
  EXPECT_EQ(settings.url, "https://prom.example:9090/api/v1/write");
  EXPECT_EQ(settings.labels, (prometheus_labels{{"testid", "t1"}, {"team", "ws"}}));
  EXPECT_EQ(settings.tls.ca_file, "/etc/ca.pem");
  EXPECT_FALSE(settings.tls.insecure);
  EXPECT_TRUE(settings.quiet);
  EXPECT_THROW(prometheus_rw_settings_for("http://127.0.0.1:9/w", {"testid"}, "", false), usage_error);
}

TEST(PrometheusRemoteWriteSink, AnInvalidLabelIsAUsageErrorBeforeAnythingIsSent) {
  prometheus_rw_settings settings;
  settings.url = "http://127.0.0.1:9/w";
  settings.labels = {{"bad-name", "x"}};
  EXPECT_THROW(prometheus_remote_write{settings}, usage_error);
}

}  // namespace
}  // namespace drover::exporting
