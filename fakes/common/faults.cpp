#include "fakes/common/faults.hpp"

#include <algorithm>

#include "harness/common/error.hpp"

namespace drover::fakes {

bool fault_set::has(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

void fault_set::add(std::string name) {
  if (!has(name)) names_.push_back(std::move(name));
}

void fault_set::merge(const fault_set& other) {
  for (const auto& n : other.names_) add(n);
}

fault_set parse_faults(const fault_table& table, std::string_view fake_name,
                       const std::vector<std::string>& names) {
  fault_set out;
  for (const auto& name : names) {
    if (name.empty()) continue;
    bool known = std::any_of(table.begin(), table.end(), [&](const fault_info& f) { return f.name == name; });
    if (!known) {
      throw usage_error("unknown fault '" + name + "' for fake " + std::string(fake_name) +
                        " (`drover fake " + std::string(fake_name) + " --list-faults` lists them)");
    }
    out.add(name);
  }
  return out;
}

fault_set parse_fault_list(const fault_table& table, std::string_view fake_name, std::string_view list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    names.emplace_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return parse_faults(table, fake_name, names);
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(c == '+' ? ' ' : c);
  }
  return out;
}

}  // namespace

std::string query_values(std::string_view target, std::string_view key) {
  std::string out;
  std::size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    std::size_t eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq));
    if (name == key && eq != std::string_view::npos) {
      std::string value = percent_decode(pair.substr(eq + 1));
      if (!value.empty()) {
        if (!out.empty()) out.push_back(',');
        out += value;
      }
    }
    start = amp + 1;
  }
  return out;
}

std::string format_fault_table(const fault_table& table) {
  std::size_t width = 0;
  for (const auto& f : table) width = std::max(width, f.name.size());
  std::string out;
  for (const auto& f : table) {
    out += f.name;
    out.append(width + 2 - f.name.size(), ' ');
    out += f.description;
    out += "  [breaks: " + f.rule + "]\n";
  }
  return out;
}

}  // namespace drover::fakes
