// Validation cost per message on one core: full validate (parse + identify + schema),
// identify only (parse + match), JSON parse alone, and the schema pass alone, for the
// largest messages of three protocols. Items/s is messages per second per core.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include "harness/protocols/protocol_catalog.hpp"

namespace {

namespace json = boost::json;
using namespace drover::protocols;

const protocol_catalog& catalog() {
  static const protocol_catalog c = protocol_catalog::load(std::filesystem::path(DROVER_SOURCE_ROOT) / "schemas");
  return c;
}

// vStats agent report: a 32-core machine with 8 disks and 4 network interfaces.
std::string vstats_report() {
  json::value msg = json::parse(R"({"type": "metrics", "data": {
    "timestamp": "2024-01-01T12:00:00Z", "hostname": "build-runner-17",
    "os": {"name": "Ubuntu", "version": "22.04", "kernel": "5.15.0", "arch": "x86_64"},
    "cpu": {"brand": "AMD EPYC 7543", "cores": 32, "usage": 45.2, "frequency": 2800, "per_core": []},
    "memory": {"total": 137438953472, "used": 68719476736, "available": 68719476736,
               "swap_total": 4294967296, "swap_used": 1073741824, "usage_percent": 50.0},
    "disks": [], "network": {"interfaces": [], "total_rx": 4294967296, "total_tx": 2147483648},
    "uptime": 86400, "load_average": {"one": 0.5, "five": 0.7, "fifteen": 0.6}}})");
  auto& data = msg.at("data").as_object();
  for (int i = 0; i < 32; ++i) data["cpu"].as_object()["per_core"].as_array().push_back(40.0 + i % 17);
  for (int i = 0; i < 8; ++i) {
    data["disks"].as_array().push_back({{"name", "nvme" + std::to_string(i) + "n1"},
                                        {"mount_point", "/data" + std::to_string(i)},
                                        {"fs_type", "ext4"},
                                        {"total", 1099511627776},
                                        {"used", 549755813888},
                                        {"available", 549755813888},
                                        {"usage_percent", 50.0}});
  }
  for (int i = 0; i < 4; ++i) {
    data["network"].as_object()["interfaces"].as_array().push_back(
        {{"name", "eth" + std::to_string(i)}, {"rx", 1073741824}, {"tx", 536870912}});
  }
  return json::serialize(msg);
}

// Wearable DISPATCH of an ECG batch: 256 samples in the vector `d`.
std::string wearable_ecg() {
  json::array samples;
  for (int i = 0; i < 256; ++i) samples.push_back(0.001 * ((i * 37) % 1000) - 0.5);
  json::value msg = {{"op", 5},
                     {"d", {{"ts", "2022-05-04T10:26:11.268507+01:00"}, {"d", samples}}},
                     {"uid", "8e864e3a-979a-4d04-b4e9-b6d020f20ba0"},
                     {"seq", 73},
                     {"t", "ECG"}};
  return json::serialize(msg);
}

// WiDB logDump with 50 logcat lines.
std::string widb_log_dump() {
  std::string lines;
  for (int i = 0; i < 50; ++i) {
    lines += "05-22 11:44:31." + std::to_string(100 + i) +
             " 7080-7080/com.google.wireless.debugging I/WiDB Example: aX: 3.0262709 aY: 2.0685902 n=" +
             std::to_string(i) + "\n";
  }
  json::value msg = {{"messageType", "logDump"}, {"osType", "Android"}, {"rawLogData", lines}};
  return json::serialize(msg);
}

struct sample {
  const char* protocol;
  direction dir;
  std::string text;
};

const sample& pick(int which) {
  static const sample samples[] = {
      {"vstats", direction::client, vstats_report()},
      {"wearable", direction::server, wearable_ecg()},
      {"widb", direction::client, widb_log_dump()},
  };
  return samples[which];
}

void label(benchmark::State& state, const sample& s) {
  state.SetLabel(std::string(s.protocol) + " " + std::to_string(s.text.size()) + " B");
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.text.size()));
}

void BM_Validate(benchmark::State& state) {
  const auto& s = pick(static_cast<int>(state.range(0)));
  const protocol& p = *catalog().find(s.protocol);
  if (!p.validate(s.dir, s.text).valid()) state.SkipWithError("sample message is not valid");
  for (auto _ : state) benchmark::DoNotOptimize(p.validate(s.dir, s.text));
  label(state, s);
}

void BM_IdentifyOnly(benchmark::State& state) {
  const auto& s = pick(static_cast<int>(state.range(0)));
  const protocol& p = *catalog().find(s.protocol);
  for (auto _ : state) benchmark::DoNotOptimize(p.identify(s.dir, s.text));
  label(state, s);
}

void BM_ParseOnly(benchmark::State& state) {
  const auto& s = pick(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    unsigned char buffer[4096];
    json::monotonic_resource resource(buffer, sizeof buffer);
    benchmark::DoNotOptimize(json::parse(s.text, &resource));
  }
  label(state, s);
}

void BM_SchemaOnly(benchmark::State& state) {
  const auto& s = pick(static_cast<int>(state.range(0)));
  const protocol& p = *catalog().find(s.protocol);
  json::value parsed = json::parse(s.text);
  const schema_validator* v = p.identify_parsed(s.dir, parsed)->validator;
  for (auto _ : state) benchmark::DoNotOptimize(v->is_valid(parsed));
  label(state, s);
}

// An invalid message costs a second walk that names the failures.
void BM_ValidateInvalid(benchmark::State& state) {
  sample s{"wearable", direction::server, wearable_ecg()};
  s.text.replace(s.text.find("\"seq\":73"), 8, "\"seq\":-1");
  const protocol& p = *catalog().find(s.protocol);
  if (p.validate(s.dir, s.text).valid()) state.SkipWithError("sample message is valid");
  for (auto _ : state) benchmark::DoNotOptimize(p.validate(s.dir, s.text));
  label(state, s);
}

// 0 = vStats metrics report, 1 = wearable ECG DISPATCH, 2 = WiDB logDump (50 lines).
BENCHMARK(BM_Validate)->DenseRange(0, 2);
BENCHMARK(BM_Validate)->Arg(1)->Threads(2)->UseRealTime();  // one shared protocol, two threads
BENCHMARK(BM_IdentifyOnly)->DenseRange(0, 2);
BENCHMARK(BM_ParseOnly)->DenseRange(0, 2);
BENCHMARK(BM_SchemaOnly)->DenseRange(0, 2);
BENCHMARK(BM_ValidateInvalid);

}  // namespace
