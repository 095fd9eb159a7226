#include "harness/reporting/summaries.hpp"

#include <algorithm>
#include <map>

#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting {

std::vector<const boost::json::object*> checks_failures_first(const boost::json::object& doc) {
  std::vector<const boost::json::object*> out;
  for (const auto& c : view::array(doc, "checks")) out.push_back(&view::as_object(c));
  std::stable_partition(out.begin(), out.end(), [](const auto* c) { return view::integer(*c, "fails") > 0; });
  return out;
}

const std::vector<std::string>& verdict_order() {
  static const std::vector<std::string> order = {"OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"};
  return order;
}

std::string verdict_summary(const boost::json::array& cases) {
  std::map<std::string, int> counts;
  for (const auto& c : cases) ++counts[view::string(view::as_object(c), "verdict")];
  std::string out;
  const auto add = [&](const std::string& verdict, int n) {
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + (verdict.empty() ? std::string("(no verdict)") : verdict);
  };
  for (const auto& v : verdict_order()) {
    if (auto it = counts.find(v); it != counts.end()) {
      add(v, it->second);
      counts.erase(it);
    }
  }
  for (const auto& [v, n] : counts) add(v, n);
  return out;
}

validation_totals totals_of(const boost::json::object& validation) {
  validation_totals t;
  for (const auto& m : view::array(validation, "messages")) {
    t.messages += view::integer(view::as_object(m), "count");
    t.invalid += view::integer(view::as_object(m), "invalid");
  }
  return t;
}

bool status_passed(const boost::json::object& doc) {
  const auto& outcome = view::object(doc, "outcome");
  return view::string(outcome, "status") == "passed" && view::integer(outcome, "exit_code") == 0;
}

std::string status_text(const boost::json::object& doc) {
  const auto& outcome = view::object(doc, "outcome");
  std::string status = view::string(outcome, "status");
  if (status.empty()) status = "unknown";
  std::string out = status;
  if (const auto message = view::string(outcome, "message"); !message.empty()) out += ": " + message;
  return out + " (exit " + std::to_string(view::integer(outcome, "exit_code")) + ")";
}

std::vector<std::pair<std::string, std::string>> settings_of(const boost::json::object& doc) {
  const auto& run = view::object(doc, "run");
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&](std::string key, std::string value) {
    if (!value.empty()) out.emplace_back(std::move(key), std::move(value));
  };
  add("scenario", view::string(run, "scenario"));
  add("target", view::string(run, "target"));
  add("protocol", view::string(run, "protocol"));
  const auto vus = view::integer(run, "vus"), workers = view::integer(run, "workers");
  std::string load = std::to_string(vus) + (vus == 1 ? " VU on " : " VUs on ") + std::to_string(workers) +
                     (workers == 1 ? " worker" : " workers");
  if (view::number_or(run, "duration_ms") > 0) load += ", duration " + duration_ms(view::number_or(run, "duration_ms"));
  if (view::number_or(run, "ramp_up_ms") > 0) load += ", ramp-up " + duration_ms(view::number_or(run, "ramp_up_ms"));
  if (view::number_or(run, "graceful_stop_ms") > 0) {
    load += ", graceful stop " + duration_ms(view::number_or(run, "graceful_stop_ms"));
  }
  // The workload model when it is not the classic one, and the shard of a sharded run.
  if (const auto executor = view::string(run, "executor"); !executor.empty() && executor != "constant-vus")
    load = executor + ": " + load;
  if (const auto* shard = run.if_contains("shard"); shard && shard->is_object()) {
    load += ", shard " + std::to_string(view::integer(shard->get_object(), "index")) + "/" +
            std::to_string(view::integer(shard->get_object(), "count"));
  }
  add("load", load);
  // A mixed fleet: each scenario's model, function, start and tags (its sub-metrics carry them).
  std::string fleet;
  if (const auto* list = run.if_contains("scenarios"); list && list->is_array()) {
    for (const auto& item : list->get_array()) {
      if (!item.is_object()) continue;
      const auto& sc = item.get_object();
      const auto n = view::integer(sc, "vus");
      std::string one = view::string(sc, "name") + ": " + view::string(sc, "executor") + ", " + std::to_string(n) +
                        (n == 1 ? " VU" : " VUs");
      if (view::number_or(sc, "start_time_ms") > 0) one += ", from " + duration_ms(view::number_or(sc, "start_time_ms"));
      if (view::number_or(sc, "duration_ms") > 0) one += ", for " + duration_ms(view::number_or(sc, "duration_ms"));
      one += ", exec " + view::string(sc, "exec");
      std::string tags;
      for (const auto& t : view::object(sc, "tags"))
        tags += (tags.empty() ? "" : ",") + std::string(t.key()) + ":" +
                (t.value().is_string() ? std::string(t.value().get_string()) : "");
      if (!tags.empty()) one += ", tags " + tags;
      fleet += (fleet.empty() ? "" : "; ") + one;
    }
  }
  add("scenarios", fleet);
  std::string env;
  for (const auto& member : view::object(run, "env")) {
    if (!env.empty()) env += " ";
    env += std::string(member.key()) + "=" + (member.value().is_string() ? std::string(member.value().get_string()) : "");
  }
  add("env", env);
  std::string time = view::string(run, "started_at");
  if (const auto ended = view::string(run, "ended_at"); !ended.empty()) time += " to " + ended;
  add("time", time);
  std::string elapsed = fixed(view::number_or(run, "elapsed_ms") / 1000.0, 2) + " s";
  if (view::boolean(run, "interrupted")) elapsed += " (interrupted)";
  add("elapsed", elapsed);
  add("clients", std::to_string(view::integer(run, "vus_started")) + " started, " +
                     std::to_string(view::integer(run, "vus_connected")) + " connected");
  return out;
}

}  // namespace drover::reporting
