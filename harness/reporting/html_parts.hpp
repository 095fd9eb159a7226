#pragma once
// Pieces of the HTML report (internal to drover_reporting). Each section function returns the
// inner HTML of its section, or "" when the document has nothing for it. Everything taken from
// the document goes through esc().
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

namespace drover::reporting::html {

std::string esc(std::string_view text);
// Long texts (a message exchanged, an excerpt) cut at max_bytes with a note of what was left out.
std::string esc_clipped(std::string_view text, std::size_t max_bytes);
// A CSS class suffix for a verdict: "ok", "non-strict", "informational", "unimplemented", "failed".
std::string verdict_class(std::string_view verdict);
std::string verdict_badge(std::string_view verdict);
// An id attribute value made only of [A-Za-z0-9._-].
std::string anchor(std::string_view prefix, std::string_view text);

struct column {
  std::string title;
  bool numeric = false;  // right-aligned, tabular figures
};
// A responsive table; cells are HTML already. row_classes (optional) gives each row a class.
std::string table(const std::vector<column>& columns, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<std::string>& row_classes = {});
std::string mark(bool ok);  // ✓ / ✗ coloured

std::string thresholds_section(const boost::json::object& doc);
std::string checks_section(const boost::json::object& doc);
std::string percentiles_section(const boost::json::object& doc);
std::string charts_section(const boost::json::object& doc);
std::string counters_section(const boost::json::object& doc);
std::string errors_section(const boost::json::object& doc);
std::string close_codes_section(const boost::json::object& doc);
std::string validation_section(const boost::json::object& doc);
std::string cases_section(const boost::json::object& doc);

}  // namespace drover::reporting::html
