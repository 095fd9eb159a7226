#include <array>
#include <charconv>
#include <cmath>

#include "harness/common/error.hpp"
#include "harness/metrics/aggregation.hpp"
#include "harness/metrics/thresholds.hpp"

namespace drover::metrics {
namespace detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_operator_char(char c) { return c == '<' || c == '>' || c == '=' || c == '!'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Parses all of text as a finite double (a leading '+' allowed); consumed tells how many
// characters made a number when the whole did not.
std::optional<double> parse_number(std::string_view text, std::size_t* consumed = nullptr) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  const auto used = static_cast<std::size_t>(ptr - digits.data());
  const bool number = ec == std::errc{} && std::isfinite(v);
  if (consumed) *consumed = number ? used + (text.size() - digits.size()) : 0;
  if (!number || used != digits.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string shortest(double v) {
  std::array<char, 32> buf{};
  auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), ec == std::errc{} ? ptr : buf.data());
}

std::optional<std::string> normalise_aggregation(std::string_view text, std::string* problem) {
  auto fail = [&](std::string why) -> std::optional<std::string> {
    if (problem) *problem = std::move(why);
    return std::nullopt;
  };
  if (text == "avg" || text == "mean") return "avg";
  if (text == "med") return "p50";
  for (std::string_view plain : {"min", "max", "count", "rate", "passes", "fails", "value"}) {
    if (text == plain) return std::string(plain);
  }
  if (text.size() >= 2 && text.front() == 'p') {
    std::string_view n = text.substr(1);
    if (n.front() == '(') {
      if (n.back() != ')') return fail("unknown aggregation \"" + std::string(text) + "\": missing \")\"");
      n = n.substr(1, n.size() - 2);
    }
    auto p = parse_number(n);
    if (!p || n.empty() || n.front() == '+') {
      return fail("unknown aggregation \"" + std::string(text) + "\": a percentile is p95, p99.9 or p(99.9)");
    }
    if (*p < 0 || *p > 100) {
      return fail("percentile \"" + std::string(text) + "\" is out of range: N must be between 0 and 100");
    }
    return "p" + shortest(*p);
  }
  return fail("unknown aggregation \"" + std::string(text) + "\" (use " + std::string(aggregation_list) + ")");
}

std::optional<double> percentile_of(std::string_view normalised) {
  if (normalised.size() < 2 || normalised.front() != 'p') return std::nullopt;
  return parse_number(normalised.substr(1));
}

}  // namespace detail

namespace {

using detail::trim;

struct parsed_expression {
  std::string aggregation;  // normalised, empty when the expression has none
  std::string op;
  double value = 0;
};

// Grammar: [aggregation] operator number, with optional blanks between the parts.
// Returns the problem as a sentence, or an empty string on success.
std::string parse_expression(std::string_view text, parsed_expression& out) {
  text = trim(text);
  if (text.empty()) return "the expression is empty (write e.g. \"p(95) < 200\")";

  std::size_t pos = 0;
  const char first = text[0];
  if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') {
    return "expected an operator (<, <=, >, >=, ==, !=) before the number";
  }
  if (!detail::is_operator_char(first)) {
    while (pos < text.size() && !detail::is_space(text[pos]) && !detail::is_operator_char(text[pos])) ++pos;
    std::string problem;
    auto agg = detail::normalise_aggregation(text.substr(0, pos), &problem);
    if (!agg) return problem;
    out.aggregation = *agg;
    while (pos < text.size() && detail::is_space(text[pos])) ++pos;
  }

  // k6 also accepts === and !==; they mean the same here.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> operators{{
      {"===", "=="}, {"!==", "!="}, {"<=", "<="}, {">=", ">="}, {"==", "=="}, {"!=", "!="}, {"<", "<"}, {">", ">"},
  }};
  std::string_view rest = text.substr(pos);
  bool matched = false;
  for (const auto& [spelling, op] : operators) {
    if (rest.starts_with(spelling)) {
      out.op = std::string(op);
      rest.remove_prefix(spelling.size());
      matched = true;
      break;
    }
  }
  if (!matched) return "expected an operator (<, <=, >, >=, ==, !=)";

  rest = trim(rest);
  if (rest.empty()) return "expected a number after \"" + out.op + "\"";
  std::size_t consumed = 0;
  auto value = detail::parse_number(rest, &consumed);
  if (!value) {
    if (consumed == 0) return "expected a number";
    return "unexpected \"" + std::string(rest.substr(consumed)) + "\" after the number";
  }
  out.value = *value;
  return {};
}

}  // namespace

threshold_spec parse_threshold(std::string_view key, std::string_view expression) {
  const std::string_view name = trim(key);
  const std::string_view expr = trim(expression);
  const std::string prefix = "threshold \"" + std::string(name) + "\": ";
  const auto expression_error = [&](const std::string& problem) {
    return usage_error(prefix + "cannot parse \"" + std::string(expr) + "\": " + problem);
  };

  threshold_spec spec;
  spec.metric = std::string(name);
  std::string key_aggregation;
  // Split at the first dot whose remainder is an aggregation, so that "p(99.9)" and
  // metric names with dots both survive ("a.b.p99" is metric "a.b", aggregation "p99").
  for (auto dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', dot + 1)) {
    if (auto agg = detail::normalise_aggregation(name.substr(dot + 1))) {
      spec.metric = std::string(name.substr(0, dot));
      key_aggregation = *agg;
      break;
    }
  }
  if (spec.metric.empty()) throw usage_error(prefix + "the metric name is empty");
  try {
    spec.metric = canonical_tagged_name(split_tagged_name(spec.metric));
  } catch (const usage_error& e) {
    throw usage_error(prefix + e.what());
  }

  parsed_expression parsed;
  if (std::string problem = parse_expression(expr, parsed); !problem.empty()) throw expression_error(problem);

  if (!key_aggregation.empty() && !parsed.aggregation.empty()) {
    throw expression_error("aggregation given twice (\"" + key_aggregation + "\" in the key, \"" +
                           parsed.aggregation + "\" in the expression)");
  }
  spec.aggregation = key_aggregation.empty() ? parsed.aggregation : key_aggregation;
  if (spec.aggregation.empty()) {
    if (auto dot = name.find('.'); dot != std::string_view::npos) {
      std::string problem;
      detail::normalise_aggregation(name.substr(dot + 1), &problem);
      throw usage_error(prefix + problem);
    }
    throw expression_error("missing aggregation: write it in the key (\"" + spec.metric +
                           ".p95\") or in the expression (\"p(95) " + std::string(expr) + "\")");
  }
  spec.op = parsed.op;
  spec.value = parsed.value;
  spec.source = std::string(name) + " " + std::string(expr);
  return spec;
}

tagged_name split_tagged_name(std::string_view name) {
  tagged_name out;
  auto open = name.find('{');
  if (open == std::string_view::npos) {
    if (name.find('}') != std::string_view::npos) throw usage_error("\"" + std::string(name) + "\": a '}' without '{'");
    out.metric = std::string(name);
    return out;
  }
  if (name.back() != '}') throw usage_error("\"" + std::string(name) + "\": the tags must end the name with '}'");
  out.metric = std::string(trim(name.substr(0, open)));
  if (out.metric.empty()) throw usage_error("\"" + std::string(name) + "\": the metric name before '{' is empty");
  std::string_view list = name.substr(open + 1, name.size() - open - 2);
  while (true) {
    auto comma = list.find(',');
    std::string_view pair = trim(list.substr(0, comma));
    auto colon = pair.find(':');
    std::string key(trim(pair.substr(0, colon == std::string_view::npos ? 0 : colon)));
    std::string value(colon == std::string_view::npos ? "" : trim(pair.substr(colon + 1)));
    // Values may be quoted as in k6's docs ("scenario:'phones'" is not k6, but "scenario:phones" is).
    if (colon == std::string_view::npos || key.empty() || value.empty() ||
        key.find_first_of("{}:\"") != std::string::npos || value.find_first_of("{}:\"") != std::string::npos)
      throw usage_error("\"" + std::string(name) + "\": tag \"" + std::string(pair) + "\" is not key:value");
    if (!out.tags.emplace(key, value).second)
      throw usage_error("\"" + std::string(name) + "\": tag \"" + key + "\" given twice");
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string canonical_tagged_name(const tagged_name& t) {
  if (t.tags.empty()) return t.metric;
  std::string out = t.metric + "{";
  bool first = true;
  for (const auto& [k, v] : t.tags) {
    out += (first ? "" : ",") + k + ":" + v;
    first = false;
  }
  return out + "}";
}

}  // namespace drover::metrics
