#include "harness/reporting/compare_format.hpp"

#include <cmath>

#include "harness/reporting/text_format.hpp"

namespace drover::reporting::compare {
namespace {

std::string per_second(double rate) { return fixed(rate, std::fabs(rate) >= 100 ? 0 : std::fabs(rate) >= 10 ? 1 : 2); }

std::string magnitude(double value, std::string_view unit) {
  if (unit == "ms") return milliseconds(value) + " ms";
  if (unit == "bytes") return bytes(value);
  if (unit == "bytes/s") return bytes(value) + "/s";
  if (unit == "/s") return per_second(value) + "/s";
  if (unit == "ratio") return percent(value);
  return plain_number(value);
}

}  // namespace

std::string format_value(std::optional<double> value, std::string_view unit) {
  if (!value) return "-";
  if (unit == "verdict") return *value >= 0.5 ? "passed" : "breached";
  return magnitude(*value, unit);
}

std::string format_change(std::optional<double> change, std::string_view unit) {
  if (!change) return "-";
  if (unit == "verdict") return *change == 0 ? "" : *change > 0 ? "fixed" : "broken";
  const std::string size = magnitude(std::fabs(*change), unit);
  if (*change == 0 || size == magnitude(0, unit)) return "0";  // no "-0.00/s"
  return (*change > 0 ? "+" : "-") + size;
}

std::string format_relative(std::optional<double> fraction) {
  if (!fraction || !std::isfinite(*fraction)) return "";
  const double pct = *fraction * 100;
  const int decimals = std::fabs(pct) >= 100 ? 0 : 1;
  std::string digits = fixed(std::fabs(pct), decimals);
  if (digits == fixed(0, decimals)) return "0%";
  return (pct > 0 ? "+" : "-") + digits + "%";
}

}  // namespace drover::reporting::compare
