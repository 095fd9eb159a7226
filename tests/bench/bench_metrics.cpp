// Hot-path costs a worker pays per message: recording a latency, looking a metric up by
// name, and decoding/encoding one small JSON message; plus the per-tick merge cost.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "harness/metrics/histogram.hpp"
#include "harness/metrics/recorder.hpp"

namespace {

using drover::metrics::histogram;
using drover::metrics::recorder;
namespace names = drover::metrics::names;

// Log-uniform over 1 µs .. 10 s (in µs), as latencies of a run spread.
std::vector<std::int64_t> latencies_us(std::size_t n) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> exponent(0.0, 7.0);
  std::vector<std::int64_t> out(n);
  for (auto& v : out) v = static_cast<std::int64_t>(std::pow(10.0, exponent(rng)));
  return out;
}

void BM_HistogramRecord(benchmark::State& state) {
  const auto values = latencies_us(4096);
  histogram h;
  std::size_t i = 0;
  for (auto _ : state) {
    h.record(values[i++ & 4095]);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

// A full run's histogram (every slot from 1 µs to 10 s touched) merged into another.
void BM_HistogramMerge(benchmark::State& state) {
  histogram from;
  histogram into;
  for (auto v : latencies_us(100'000)) from.record(v);
  for (auto _ : state) {
    into.merge(from);
    benchmark::DoNotOptimize(into.count());
  }
}
BENCHMARK(BM_HistogramMerge);

// The by-name path Lua-facing code takes (map lookup + record) among the built-in metrics.
void BM_RecorderAddTrendByName(benchmark::State& state) {
  recorder r;
  for (auto name : {names::ws_msgs_sent, names::ws_msgs_received, names::data_sent, names::data_received,
                    names::ws_sessions, names::ws_errors, names::iterations}) {
    r.add_counter(name);
  }
  for (auto name : {names::ws_handshaking, names::ws_session_duration, names::ws_ping, names::iteration_duration}) {
    r.add_trend(name, 1);
  }
  r.add_check("warm", true);
  double v = 0.5;
  for (auto _ : state) {
    r.add_trend(names::ws_connecting, v);
    v = v < 10'000 ? v * 1.7 : 0.5;
  }
  benchmark::DoNotOptimize(r.find(names::ws_connecting));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecorderAddTrendByName);

// A DISPATCH-like message of about 300 bytes: nested object, array, strings, numbers.
const std::string& small_message() {
  static const std::string msg =
      R"({"op":5,"t":"ORDER_CREATED","uid":"user-0042","seq":1234567,"d":{)"
      R"("id":"8f14e45f-ceea-467f-a0e2-7b0c7d1f3a9b","channel":"orders",)"
      R"("sent_at":1718000000123,"payload":{"symbol":"ACME","price":123.45,"qty":17,)"
      R"("side":"buy","tags":["limit","day","post-only"],)"
      R"("venue":{"name":"XPAR","open":true,"tz":"Europe/Paris"}}}})";
  return msg;
}

void BM_JsonParseSmallMessage(benchmark::State& state) {
  const std::string& msg = small_message();
  for (auto _ : state) {
    boost::json::value v = boost::json::parse(msg);
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
  state.counters["message_bytes"] = static_cast<double>(msg.size());
}
BENCHMARK(BM_JsonParseSmallMessage);

void BM_JsonSerializeSmallMessage(benchmark::State& state) {
  const boost::json::value v = boost::json::parse(small_message());
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string out = boost::json::serialize(v);
    bytes += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_JsonSerializeSmallMessage);

}  // namespace
