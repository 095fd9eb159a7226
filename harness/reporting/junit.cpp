#include <string>
#include <vector>

#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/escape.hpp"
#include "harness/reporting/text_format.hpp"
#include "harness/reporting/writers.hpp"

namespace drover::reporting {
namespace {

namespace json = boost::json;

enum class result { passed, failure, skipped, error };

struct test_case {
  std::string classname;
  std::string name;
  double seconds = 0;
  result outcome = result::passed;
  std::string type;     // of the failure/error
  std::string message;  // one line (attribute)
  std::string detail;   // element text
  std::string system_out;
};

test_case make_case(std::string classname, std::string name, double seconds = 0) {
  test_case c;
  c.classname = std::move(classname);
  c.name = std::move(name);
  c.seconds = seconds;
  return c;
}

struct test_suite {
  std::string name;
  std::vector<test_case> cases;
  int count(result r) const {
    int n = 0;
    for (const auto& c : cases) n += c.outcome == r ? 1 : 0;
    return n;
  }
};

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value) + "\"";
}

// The Jenkins xunit schema (which CI servers validate against) allows `skipped` on <testsuite>
// only, so the <testsuites> root leaves it out.
enum class with_skipped { no, yes };

std::string counts(const std::vector<const test_suite*>& suites, with_skipped show_skipped) {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  for (const auto* s : suites) {
    tests += static_cast<int>(s->cases.size());
    failures += s->count(result::failure);
    errors += s->count(result::error);
    skipped += s->count(result::skipped);
  }
  std::string out = attr("tests", std::to_string(tests)) + attr("failures", std::to_string(failures)) +
                    attr("errors", std::to_string(errors));
  return show_skipped == with_skipped::yes ? out + attr("skipped", std::to_string(skipped)) : out;
}

std::string case_xml(const test_case& c) {
  std::string out = "    <testcase" + attr("classname", c.classname) + attr("name", c.name) +
                    attr("time", fixed(c.seconds, 3));
  const char* element = c.outcome == result::failure ? "failure"
                        : c.outcome == result::error ? "error"
                        : c.outcome == result::skipped ? "skipped"
                                                       : nullptr;
  if (element == nullptr && c.system_out.empty()) return out + "/>\n";
  out += ">\n";
  if (c.outcome == result::skipped) {
    // The schema types <skipped> as text without attributes; Jenkins shows that text as the reason.
    out += "      <skipped>" + xml_escape(c.message) + "</skipped>\n";
  } else if (element != nullptr) {
    out += "      <" + std::string(element) + attr("message", c.message);
    if (!c.type.empty()) out += attr("type", c.type);
    out += c.detail.empty() ? "/>\n" : ">" + xml_escape(c.detail) + "</" + element + ">\n";
  }
  if (!c.system_out.empty()) out += "      <system-out>" + xml_escape(c.system_out) + "</system-out>\n";
  return out + "    </testcase>\n";
}

test_suite checks_suite(const json::object& doc) {
  test_suite suite{"checks", {}};
  for (const auto& item : view::array(doc, "checks")) {
    const auto& c = view::as_object(item);
    test_case tc = make_case("checks", view::string(c, "name"));
    const auto fails = view::integer(c, "fails");
    if (fails > 0) {
      const auto total = fails + view::integer(c, "passes");
      tc.outcome = result::failure;
      tc.type = "check";
      tc.message = view::string(c, "first_failure");
      tc.detail = std::to_string(fails) + " of " + std::to_string(total) + " failed; first failure: " + tc.message;
    }
    suite.cases.push_back(std::move(tc));
  }
  return suite;
}

test_suite thresholds_suite(const json::object& doc) {
  test_suite suite{"thresholds", {}};
  for (const auto& item : view::array(doc, "thresholds")) {
    const auto& t = view::as_object(item);
    test_case tc = make_case("thresholds", view::string(t, "expression"));
    if (!view::boolean(t, "ok")) {
      tc.outcome = result::failure;
      tc.type = "threshold";
      tc.message = view::string(t, "message");
    } else {
      tc.system_out = view::string(t, "message");
    }
    suite.cases.push_back(std::move(tc));
  }
  return suite;
}

std::string case_log(const json::object& c) {
  std::string out = "verdict: " + view::string(c, "verdict") + "\n";
  for (const auto& f : view::array(c, "findings")) {
    const auto& finding = view::as_object(f);
    out += view::string(finding, "verdict") + ": " + view::string(finding, "message") + "\n";
  }
  const auto& messages = view::array(c, "messages");
  if (!messages.empty()) out += "messages:\n";
  for (const auto& m : messages) {
    const auto& msg = view::as_object(m);
    out += "  " + fixed(view::number_or(msg, "at_ms"), 1) + " ms " + view::string(msg, "dir") + ": " +
           view::string(msg, "text") + "\n";
  }
  return out;
}

// The first finding with the case's verdict explains the verdict best.
std::string verdict_reason(const json::object& c, std::string_view verdict) {
  for (const auto& f : view::array(c, "findings")) {
    const auto& finding = view::as_object(f);
    if (view::string(finding, "verdict") == verdict) return view::string(finding, "message");
  }
  return std::string(verdict);
}

test_suite cases_suite(const json::array& cases) {
  test_suite suite{"conformance", {}};
  for (const auto& item : cases) {
    const auto& c = view::as_object(item);
    std::string group = view::string(c, "group");
    test_case tc = make_case(group.empty() ? "conformance" : group, view::string(c, "id") + " " + view::string(c, "title"),
                             view::number_or(c, "duration_ms") / 1000.0);
    const auto verdict = view::string(c, "verdict");
    tc.system_out = case_log(c);
    if (verdict == "FAILED") {
      tc.outcome = result::failure;
      tc.type = verdict;
      tc.message = verdict_reason(c, verdict);
      tc.detail = view::string(c, "expectation");
    } else if (verdict == "UNIMPLEMENTED") {
      tc.outcome = result::skipped;
      tc.message = "UNIMPLEMENTED: " + verdict_reason(c, verdict);
    } else if (verdict != "OK" && verdict != "NON-STRICT" && verdict != "INFORMATIONAL") {
      tc.outcome = result::error;
      tc.type = "verdict";
      tc.message = "unknown verdict '" + verdict + "'";
    }
    suite.cases.push_back(std::move(tc));
  }
  return suite;
}

// Failures no check, threshold or case shows: the run could not be made or was cut short.
test_suite run_suite(const json::object& doc) {
  test_suite suite{"run", {}};
  const auto& outcome = view::object(doc, "outcome");
  const auto status = view::string(outcome, "status");
  if (status == "unreachable" || status == "interrupted" || status == "error") {
    test_case tc = make_case("run", "outcome");
    tc.outcome = result::error;
    tc.type = status;
    tc.message = view::string(outcome, "message").empty() ? status : view::string(outcome, "message");
    suite.cases.push_back(std::move(tc));
  }
  return suite;
}

}  // namespace

std::string render_junit(const boost::json::object& doc) {
  const auto& run = view::object(doc, "run");
  std::vector<test_suite> suites;
  if (auto s = run_suite(doc); !s.cases.empty()) suites.push_back(std::move(s));
  if (auto s = checks_suite(doc); !s.cases.empty()) suites.push_back(std::move(s));
  if (auto s = thresholds_suite(doc); !s.cases.empty()) suites.push_back(std::move(s));
  if (const auto* cases = doc.if_contains("cases"); cases != nullptr && cases->is_array()) {
    suites.push_back(cases_suite(cases->get_array()));
  }
  std::vector<const test_suite*> all;
  for (const auto& s : suites) all.push_back(&s);

  const std::string timestamp = view::string(run, "started_at");
  const std::string seconds = fixed(view::number_or(run, "elapsed_ms") / 1000.0, 3);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "drover " + view::string(doc, "command") + " " + view::string(run, "scenario")) +
         counts(all, with_skipped::no) + attr("time", seconds) + ">\n";
  for (const auto& s : suites) {
    out += "  <testsuite" + attr("name", s.name) + counts({&s}, with_skipped::yes) + attr("time", seconds) +
           (timestamp.empty() ? "" : attr("timestamp", timestamp)) + ">\n";
    for (const auto& c : s.cases) out += case_xml(c);
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace drover::reporting
