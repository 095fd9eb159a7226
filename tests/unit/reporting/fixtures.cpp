#include "fixtures.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace drover::reporting::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

std::chrono::system_clock::time_point at_ms(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

metrics::threshold_result threshold(std::string metric, std::string aggregation, std::string op, double value,
                                    std::string source, bool ok, std::optional<double> actual, std::string message) {
  metrics::threshold_result r;
  r.spec = {std::move(metric), std::move(aggregation), std::move(op), value, std::move(source)};
  r.ok = ok;
  r.actual = actual;
  r.message = std::move(message);
  return r;
}

std::vector<metrics::threshold_result> sample_thresholds() {
  return {
      threshold("ws_connecting", "p99", "<", 200, "ws_connecting.p99 < 200", true, 151.2,
                "ws_connecting.p99 = 151.2 ms, wanted < 200"),
      threshold("checks", "rate", ">", 0.99, "checks: rate > 0.99", false, 0.99,
                "checks.rate = 0.99, wanted > 0.99"),
      threshold("app_latency", "p95", "<", 50, "app_latency.p95 < 50", false, std::nullopt,
                "app_latency was never recorded"),
  };
}

json::object sample_validation() {
  return json::parse(R"({
    "protocol": "widb",
    "messages": [
      {"direction": "sent", "type": "startSession", "count": 10, "invalid": 0},
      {"direction": "sent", "type": "logDump", "count": 1200, "invalid": 0},
      {"direction": "received", "type": "logData", "count": 1180, "invalid": 2}
    ],
    "violations": [
      {"direction": "received", "type": "logData", "pointer": "/logEntries/0/timeStamp", "keyword": "type",
       "message": "expected integer, got string", "excerpt": "{\"messageType\":\"logData\",\"logEntries\":[{\"timeStamp\":\"x\"}]}"},
      {"direction": "received", "type": "logData", "pointer": "", "keyword": "required",
       "message": "missing property 'osType'", "excerpt": "{\"messageType\":\"logData\"}"}
    ]
  })").as_object();
}

json::object a_case(std::string id, std::string group, std::string title, std::string verdict, double duration_ms,
                    json::array findings, json::array messages) {
  return json::object{{"id", id},
                      {"group", group},
                      {"title", title},
                      {"description", "Sends " + title + " and watches the answer."},
                      {"expectation", "The server answers as docs/protocols/widb.md says & keeps the connection open."},
                      {"reference", "docs/protocols/widb.md"},
                      {"verdict", verdict},
                      {"duration_ms", duration_ms},
                      {"findings", std::move(findings)},
                      {"messages", std::move(messages)}};
}

json::object finding(std::string verdict, std::string message) {
  return json::object{{"verdict", verdict}, {"message", message}};
}

json::object message(std::string dir, double at, std::string text) {
  return json::object{{"dir", dir}, {"at_ms", at}, {"text", text}};
}

}  // namespace

metrics::recorder sample_recorder() {
  metrics::recorder rec;
  // A long-tailed latency spread over more HDR buckets than a chart has bars.
  auto& connecting = rec.trend(metrics::names::ws_connecting);
  for (int i = 0; i < 1000; ++i) connecting.add(0.3 + (i % 97) * 0.05 + (i % 100 == 0 ? 150.0 : 0.0));
  auto& handshaking = rec.trend(metrics::names::ws_handshaking);
  for (double v : {0.25, 0.5, 0.75, 1.0, 12.5}) handshaking.add(v);
  auto& sizes = rec.trend("message_size", metrics::value_unit::bytes);
  for (int i = 1; i <= 40; ++i) sizes.add(100.0 * i);
  rec.trend(metrics::names::ws_ping);  // declared, never recorded

  rec.add_counter(metrics::names::ws_msgs_sent, 1210);
  rec.add_counter(metrics::names::ws_msgs_received, 1180);
  rec.counter(metrics::names::data_sent, metrics::value_unit::bytes).total = 154000;
  rec.add_counter(metrics::names::iterations, 10);
  rec.set_gauge(metrics::names::vus, 10);
  rec.set_gauge(metrics::names::vus, 0);

  for (int i = 0; i < 98; ++i) rec.add_check("status is 101", true);
  rec.add_check("status is 101", false, "got 403 Forbidden");
  rec.add_check("status is 101", false, "got 500");
  for (int i = 0; i < 100; ++i) rec.add_check("welcome received", true);

  for (int i = 0; i < 3; ++i) rec.add_error("connection_refused", "connect 127.0.0.1:9: Connection refused");
  rec.add_error("lua_error", "scenario.lua:12: attempt to index a nil value (local 'msg')", false);

  for (int i = 0; i < 95; ++i) rec.add_close_code(1000);
  for (int i = 0; i < 3; ++i) rec.add_close_code(1006);
  for (int i = 0; i < 2; ++i) rec.add_close_code(4001);
  return rec;
}

run_info sample_run_info() {
  run_info info;
  info.tool_version = "0.1.0";
  info.command = "run";
  info.scenario = "scenarios/load/widb_phones.lua";
  info.target = "ws://127.0.0.1:9001/ws";
  info.protocol = "widb";
  info.vus = 10;
  info.workers = 2;
  info.duration = 30s;
  info.ramp_up = 5s;
  info.graceful_stop = 2s;
  info.env = {{"REGION", "eu-west"}, {"API_KEY", "hunter2"}, {"db_password", "swordfish"}};
  info.started_at = at_ms(1714564800000);  // 2024-05-01T12:00:00.000Z
  info.ended_at = at_ms(1714564830012);
  info.elapsed_seconds = 30.012;
  info.vus_started = 10;
  info.vus_connected = 9;
  return info;
}

json::object sample_run_document() {
  const auto validation = sample_validation();
  return build_result_document(sample_run_info(), sample_recorder(), sample_thresholds(),
                               {1, "thresholds_breached", "2 of 3 thresholds breached"}, &validation, nullptr);
}

json::object sample_conform_document() {
  run_info info = sample_run_info();
  info.command = "conform";
  info.scenario = "scenarios/widb";
  info.vus = 1;
  info.workers = 1;
  info.duration = 0ms;
  info.ramp_up = 0ms;
  info.graceful_stop = 0ms;
  info.env.clear();
  info.elapsed_seconds = 2.5;
  info.vus_started = 1;
  info.vus_connected = 1;
  metrics::recorder rec;
  rec.trend(metrics::names::ws_connecting).add(0.8);
  rec.add_close_code(1000);
  rec.add_close_code(1003);

  json::array cases;
  cases.push_back(a_case("1.1.1", "handshake", "startSession accepted", "OK", 12.5,
                         {finding("OK", "connection stayed open")},
                         {message("sent", 0.4, R"({"messageType":"startSession","apiKey":"k","osType":"Android"})"),
                          message("event", 1010, "no reply within 1 s (expected: the server never replies)")}));
  cases.push_back(a_case("1.2.1", "robustness", "invalid JSON", "NON-STRICT", 40,
                         {finding("NON-STRICT", "closed with 1007 instead of ignoring the frame")},
                         {message("sent", 0.2, "{not json <b>&amp;"), message("received", 3.1, "close 1007 \"bad payload\"")}));
  cases.push_back(a_case("2.1.1", "timing", "logDump to logData latency", "INFORMATIONAL", 100,
                         {finding("INFORMATIONAL", "median 4.2 ms over 20 dumps")}, {}));
  cases.push_back(a_case("3.1.1", "extensions", "permessage-deflate", "UNIMPLEMENTED", 1,
                         {finding("UNIMPLEMENTED", "the fake does not offer compression")}, {}));
  cases.push_back(a_case("3.2.1", "robustness", "Example 1 log line <Android Studio>", "FAILED", 7.25,
                         {finding("OK", "startSession accepted"),
                          finding("FAILED", "connection dropped without a close frame (1006) after \"logDump\"")},
                         {message("sent", 1, R"({"messageType":"logDump","rawLogData":"05-01 12:00:00.000 1-2/app D/Tag: <hi> & bye"})"),
                          message("event", 2.5, "connection reset")}));
  return build_result_document(info, rec, {}, {1, "cases_failed", "1 of 5 cases FAILED"}, nullptr, &cases);
}

std::string compare_with_golden(std::string_view name, const std::string& actual) {
  const std::string path = std::string(DROVER_SOURCE_ROOT) + "/tests/golden/reporting/" + std::string(name);
  const char* update = std::getenv("DROVER_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return "missing golden file " + path + " (run the test with DROVER_UPDATE_GOLDEN=1 to create it)";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string expected = buffer.str();
  if (expected == actual) return {};
  std::istringstream e(expected), a(actual);
  std::string el, al;
  for (int line = 1;; ++line) {
    const bool more_e = static_cast<bool>(std::getline(e, el)), more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) break;
    if (!more_e || !more_a || el != al) {
      return path + " differs at line " + std::to_string(line) + "\n  expected: " + (more_e ? el : "<end>") +
             "\n  actual:   " + (more_a ? al : "<end>") +
             "\n(if the change is intended, rerun with DROVER_UPDATE_GOLDEN=1 and review the diff)";
    }
  }
  return path + " differs (line endings?)";
}

std::string schema_violations(const json::value& doc) {
  const std::string path = std::string(DROVER_SOURCE_ROOT) + "/schemas/harness/summary.schema.json";
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const json::value schema_doc = json::parse(buffer.str());
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::BoostJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(doc);
  if (validator.validate(schema, target, &results)) return {};
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& part : error.context) where += part;
    out += where + ": " + error.description + "\n";
  }
  return out.empty() ? "invalid (no detail)" : out;
}

}  // namespace drover::reporting::testing
