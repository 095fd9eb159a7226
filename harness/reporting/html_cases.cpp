#include <map>

#include "harness/reporting/doc_view.hpp"
#include "harness/reporting/html_parts.hpp"
#include "harness/reporting/summaries.hpp"
#include "harness/reporting/text_format.hpp"

namespace drover::reporting::html {
namespace {

namespace json = boost::json;

constexpr std::size_t max_message_bytes = 4000;

std::string text_block(std::string_view label, const std::string& text) {
  if (text.empty()) return {};
  return "<div class=\"case-field\"><span class=\"field-label\">" + std::string(label) + "</span><p>" + esc(text) +
         "</p></div>\n";
}

std::string findings_list(const json::object& c) {
  std::string out;
  for (const auto& f : view::array(c, "findings")) {
    const auto& finding = view::as_object(f);
    out += "<li>" + verdict_badge(view::string(finding, "verdict")) + " " + esc(view::string(finding, "message")) +
           "</li>\n";
  }
  return out.empty() ? out : "<ul class=\"findings\">\n" + out + "</ul>\n";
}

std::string messages_details(const json::object& c) {
  const auto& messages = view::array(c, "messages");
  if (messages.empty()) return {};
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const auto& m : messages) {
    const auto& msg = view::as_object(m);
    const auto dir = view::string(msg, "dir");
    rows.push_back({fixed(view::number_or(msg, "at_ms"), 1), esc(dir),
                    "<pre>" + esc_clipped(view::string(msg, "text"), max_message_bytes) + "</pre>"});
    classes.push_back("dir-" + anchor("", dir));
  }
  return "<details class=\"messages\"><summary>Messages exchanged (" + std::to_string(messages.size()) +
         ")</summary>\n" + table({{"ms", true}, {"direction"}, {"message"}}, rows, classes) + "</details>\n";
}

std::string case_article(const json::object& c) {
  const auto id = view::string(c, "id");
  const auto verdict = view::string(c, "verdict");
  std::string out = "<article class=\"case case-" + verdict_class(verdict) + "\" id=\"" + anchor("case-", id) + "\">\n";
  out += "<header><span class=\"case-id\">" + esc(id) + "</span> <span class=\"case-title\">" +
         esc(view::string(c, "title")) + "</span> " + verdict_badge(verdict) + " <span class=\"muted\">" +
         esc(milliseconds(view::number_or(c, "duration_ms"))) + " ms</span></header>\n";
  out += text_block("Description", view::string(c, "description"));
  out += text_block("Expectation", view::string(c, "expectation"));
  out += text_block("Reference", view::string(c, "reference"));
  out += findings_list(c);
  out += messages_details(c);
  return out + "</article>\n";
}

std::string cases_overview(const json::array& cases) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const auto& item : cases) {
    const auto& c = view::as_object(item);
    const auto id = view::string(c, "id");
    const auto verdict = view::string(c, "verdict");
    rows.push_back({"<a href=\"#" + anchor("case-", id) + "\">" + esc(id) + "</a>", esc(view::string(c, "group")),
                    esc(view::string(c, "title")), verdict_badge(verdict),
                    esc(milliseconds(view::number_or(c, "duration_ms")))});
    classes.push_back(verdict == "FAILED" ? "row-failed" : "");
  }
  return table({{"id"}, {"group"}, {"title"}, {"verdict"}, {"ms", true}}, rows, classes);
}

}  // namespace

std::string validation_section(const json::object& doc) {
  const auto* v = doc.if_contains("validation");
  if (v == nullptr) return {};
  const auto& validation = view::as_object(*v);
  const auto totals = totals_of(validation);
  std::string out = "<p class=\"lead\">" + std::to_string(totals.messages) + " messages checked against the " +
                    (view::string(validation, "protocol").empty()
                         ? std::string("protocol")
                         : "<code>" + esc(view::string(validation, "protocol")) + "</code>") +
                    " schemas, <strong class=\"" + (totals.invalid > 0 ? "text-failed" : "text-ok") + "\">" +
                    std::to_string(totals.invalid) + " invalid</strong>.</p>\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> classes;
  for (const auto& item : view::array(validation, "messages")) {
    const auto& m = view::as_object(item);
    const auto n = view::integer(m, "count"), invalid = view::integer(m, "invalid");
    rows.push_back({esc(view::string(m, "direction")), "<code>" + esc(view::string(m, "type")) + "</code>",
                    std::to_string(n), std::to_string(invalid),
                    n > 0 ? percent(static_cast<double>(n - invalid) / static_cast<double>(n)) : "-"});
    classes.push_back(invalid > 0 ? "row-failed" : "");
  }
  if (!rows.empty()) {
    out += table({{"direction"}, {"message type"}, {"messages", true}, {"invalid", true}, {"valid", true}}, rows,
                 classes);
  }
  rows.clear();
  for (const auto& item : view::array(validation, "violations")) {
    const auto& f = view::as_object(item);
    const auto pointer = view::string(f, "pointer");
    rows.push_back({esc(view::string(f, "direction")) + " <code>" + esc(view::string(f, "type")) + "</code>",
                    pointer.empty() ? "<span class=\"muted\">(root)</span>" : "<code>" + esc(pointer) + "</code>",
                    "<code>" + esc(view::string(f, "keyword")) + "</code>", esc(view::string(f, "message")),
                    "<pre>" + esc_clipped(view::string(f, "excerpt"), 600) + "</pre>"});
  }
  if (!rows.empty()) {
    out += "<h3>First violations</h3>\n" +
           table({{"message"}, {"pointer"}, {"keyword"}, {"problem"}, {"excerpt"}}, rows);
  }
  return out;
}

std::string cases_section(const json::object& doc) {
  const auto* c = doc.if_contains("cases");
  if (c == nullptr || !c->is_array()) return {};
  const auto& cases = c->get_array();
  std::string out = "<p class=\"lead\">" + std::to_string(cases.size()) + " cases: " + esc(verdict_summary(cases)) +
                    ".</p>\n" + cases_overview(cases);
  // Details grouped by group, in the order groups first appear.
  std::vector<std::string> groups;
  std::map<std::string, std::string> by_group;
  for (const auto& item : cases) {
    const auto& k = view::as_object(item);
    const auto group = view::string(k, "group");
    if (by_group.find(group) == by_group.end()) groups.push_back(group);
    by_group[group] += case_article(k);
  }
  for (const auto& g : groups) {
    out += "<h3>" + esc(g.empty() ? "cases" : g) + "</h3>\n" + by_group[g];
  }
  return out;
}

}  // namespace drover::reporting::html
