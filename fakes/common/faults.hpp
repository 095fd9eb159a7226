#pragma once
// Named faults: each fake publishes a table (name -> what it does, which rule it breaks) and
// turns a run's --fault flags plus a connection's ?fault=a,b query into a fault_set.
// Pure data and functions; any thread.
#include <string>
#include <string_view>
#include <vector>

namespace drover::fakes {

struct fault_info {
  std::string name;         // as given to --fault / ?fault= ("close-1011", "wrong-close:4000")
  std::string description;  // what the fake does wrong
  std::string rule;         // the rule it breaks ("docs/protocols/wearable.md §4.4"), for the table
};

using fault_table = std::vector<fault_info>;

// A small set of validated fault names (a connection rarely has more than one or two).
class fault_set {
 public:
  bool has(std::string_view name) const;
  bool empty() const { return names_.empty(); }
  void add(std::string name);
  void merge(const fault_set& other);
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

// Validates each name against the table. Throws usage_error naming the unknown fault, the fake
// and how to list the known ones.
fault_set parse_faults(const fault_table& table, std::string_view fake_name,
                       const std::vector<std::string>& names);

// Splits a comma list ("a,b") and validates it as above.
fault_set parse_fault_list(const fault_table& table, std::string_view fake_name, std::string_view list);

// Every value of the query parameter `key` in a request target ("/ws?fault=a&fault=b%3Ac"),
// percent-decoded, comma lists joined with commas in order of appearance. Empty when absent.
std::string query_values(std::string_view target, std::string_view key);

// Human-readable table for --list-faults: one fault per line, name padded, description, rule.
std::string format_fault_table(const fault_table& table);

}  // namespace drover::fakes
