#include "fakes/wearable/dispatch_faults.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <string_view>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace drover::fakes::wearable {

namespace json = boost::json;

namespace {

std::shared_ptr<const std::string> text_of(const json::object& frame) {
  return std::make_shared<const std::string>(json::serialize(frame));
}

json::object frame_of(const dispatch_record& record) { return json::parse(*record.text).as_object(); }

std::shared_ptr<const std::string> maybe_without_uid(const dispatch_record& record, const fault_flags& flags) {
  if (!flags.dispatch_bad_schema) return record.text;
  json::object frame = frame_of(record);
  frame.erase("uid");
  return text_of(frame);
}

// A visible change of content that keeps the frame valid: val+1, else d[0]+1, else another ts.
void alter(json::object& frame) {
  json::value* d = frame.if_contains("d");
  if (!d || !d->is_object()) {
    frame["d"] = json::object{{"altered", true}};
    return;
  }
  json::object& data = d->as_object();
  if (json::value* val = data.if_contains("val"); val && val->is_number()) {
    if (val->is_double()) {
      *val = val->as_double() + 1;
    } else {
      *val = val->to_number<std::int64_t>() + 1;
    }
    return;
  }
  if (json::value* vec = data.if_contains("d"); vec && vec->is_array() && !vec->as_array().empty() &&
                                                vec->as_array()[0].is_number()) {
    json::value& first = vec->as_array()[0];
    first = first.to_number<double>() + 1;
    return;
  }
  data["ts"] = "1970-01-01T00:00:00.000000+00:00";
}

// The data types docs/protocols/wearable.md §3.3 and §3.4 list; drop-unknown-type loses the rest.
bool listed_type(const json::object& frame) {
  static const std::set<std::string, std::less<>> listed = {
      "HEART_RATE", "STEPS", "DISTANCE", "FLOORS_CLIMBED", "STEPS_CADENCE", "SPEED", "HRV", "RR_INTERVAL",
      "CALORIES", "MET", "POWER", "BIKE_CADENCE", "ACTIVITY", "ACCELERATION", "GYROSCOPE", "LOCATION", "ECG"};
  const json::value* t = frame.if_contains("t");
  return t && t->is_string() && listed.count(std::string_view(t->as_string()));
}

}  // namespace

std::shared_ptr<const std::string> live_dispatch_text(const dispatch_record& record, live_stream& stream,
                                                      const fault_flags& flags) {
  if (flags.drop_unknown_type && !listed_type(frame_of(record))) return nullptr;
  ++stream.delivered;
  std::int64_t previous = stream.last_seq;
  stream.last_seq = record.seq;
  if (stream.delivered == 2 && (flags.seq_backwards || flags.seq_duplicate)) {
    json::object frame = frame_of(record);
    frame["seq"] = flags.seq_backwards ? previous - 1 : previous;
    if (flags.dispatch_bad_schema) frame.erase("uid");
    return text_of(frame);
  }
  return maybe_without_uid(record, flags);
}

std::vector<std::shared_ptr<const std::string>> replay_texts(std::vector<record_ptr> records,
                                                             const fault_flags& flags) {
  if (flags.replay_drop && !records.empty()) records.erase(records.begin() + records.size() / 2);
  if (flags.replay_unordered && records.size() >= 2) std::swap(records[0], records[1]);
  std::vector<std::shared_ptr<const std::string>> out;
  out.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i == 0 && flags.replay_altered) {
      json::object frame = frame_of(*records[i]);
      alter(frame);
      if (flags.dispatch_bad_schema) frame.erase("uid");
      out.push_back(text_of(frame));
      continue;
    }
    out.push_back(maybe_without_uid(*records[i], flags));
  }
  return out;
}

std::string iso8601_now() {
  auto now = std::chrono::system_clock::now();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<long long>(micros % 1'000'000));
  return buf;
}

}  // namespace drover::fakes::wearable
