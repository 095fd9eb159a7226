#include "harness/export/prometheus_naming.hpp"

#include "harness/common/error.hpp"

namespace drover::exporting {

namespace {
bool is_letter_or_underscore(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string sanitize(std::string_view text, bool allow_colon) {
  std::string out;
  out.reserve(text.size() + 1);
  for (char c : text) {
    const bool ok = is_letter_or_underscore(c) || is_digit(c) || (allow_colon && c == ':');
    out += ok ? c : '_';
  }
  if (!out.empty() && is_digit(out.front())) out.insert(out.begin(), '_');
  return out;
}
}  // namespace

std::string prometheus_metric_name(std::string_view text) {
  std::string out = sanitize(text, true);
  return out.empty() ? "_" : out;
}

std::string prometheus_label_name(std::string_view text) {
  std::string out = sanitize(text, false);
  if (out.empty() || out.starts_with("__")) out.insert(0, "tag");
  return out;
}

std::pair<std::string, std::string> parse_prometheus_label_flag(std::string_view text) {
  const std::string prefix = "--prometheus-label '" + std::string(text) + "': ";
  auto eq = text.find('=');
  if (eq == std::string_view::npos) throw usage_error(prefix + "expected KEY=VALUE (e.g. testid=nightly-42)");
  std::string key(text.substr(0, eq));
  std::string value(text.substr(eq + 1));
  if (key.empty()) throw usage_error(prefix + "the label name before '=' is empty");
  if (value.empty()) throw usage_error(prefix + "the value after '=' is empty (Prometheus ignores empty labels)");
  if (prometheus_label_name(key) != key)
    throw usage_error(prefix + "'" + key + "' is not a Prometheus label name (letters, digits and '_', not starting " +
                      "with a digit or \"__\")");
  if (key == "le" || key == "quantile")
    throw usage_error(prefix + "'" + key + "' has a meaning of its own in Prometheus; choose another name");
  return {std::move(key), std::move(value)};
}

}  // namespace drover::exporting
