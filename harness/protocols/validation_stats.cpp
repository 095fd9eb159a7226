#include "harness/protocols/validation_stats.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "harness/common/error.hpp"

namespace drover::protocols {

std::string validate_mode::to_string() const {
  switch (what) {
    case kind::all: return "all";
    case kind::off: return "off";
    case kind::sample: return "sample:" + std::to_string(every);
  }
  return "all";
}

validate_mode parse_validate_mode(std::string_view text) {
  if (text == "all") return {};
  if (text == "off") return {validate_mode::kind::off, 1};
  constexpr std::string_view prefix = "sample:";
  if (text.substr(0, prefix.size()) == prefix) {
    std::string_view number = text.substr(prefix.size());
    std::uint64_t every = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), every);
    if (ec == std::errc{} && end == number.data() + number.size() && every >= 1) {
      return {validate_mode::kind::sample, every};
    }
  }
  throw usage_error("--validate '" + std::string(text) +
                    "': expected all, off, or sample:N (validate every Nth message, N >= 1)");
}

std::string_view direction_word(direction dir) { return dir == direction::client ? "sent" : "received"; }

validation_stats::validation_stats(std::string protocol, std::string dialect, validate_mode mode,
                                   std::size_t max_violations)
    : protocol_(std::move(protocol)), dialect_(std::move(dialect)), mode_(mode), max_violations_(max_violations) {}

bool validation_stats::should_validate() {
  bool yes = mode_.what == validate_mode::kind::all ||
             (mode_.what == validate_mode::kind::sample && seen_ % mode_.every == 0);
  ++seen_;
  if (!yes) ++skipped_;
  return yes;
}

void validation_stats::record(direction dir, const validation_result& result) {
  ++validated_;
  std::string word(direction_word(dir));
  std::string type = result.message ? result.message->name : std::string();
  if (!result.message) {
    ++unknown_;
  } else {
    auto& counts = by_type_[{word, type}];
    ++(result.valid() ? counts.valid : counts.invalid);
  }
  for (const auto& v : result.violations) {
    add_violation({word, type, v.pointer, v.keyword, v.detail, v.excerpt, 1});
  }
}

void validation_stats::add_violation(violation_entry entry) {
  for (auto& known : violations_) {
    if (known.direction == entry.direction && known.type == entry.type && known.pointer == entry.pointer &&
        known.keyword == entry.keyword) {
      known.count += entry.count;
      return;
    }
  }
  if (violations_.size() < max_violations_) violations_.push_back(std::move(entry));
}

void validation_stats::merge(const validation_stats& other) {
  if (protocol_.empty()) {
    protocol_ = other.protocol_;
    dialect_ = other.dialect_;
    mode_ = other.mode_;
  }
  seen_ += other.seen_;
  validated_ += other.validated_;
  skipped_ += other.skipped_;
  unknown_ += other.unknown_;
  for (const auto& [key, counts] : other.by_type_) {
    auto& mine = by_type_[key];
    mine.valid += counts.valid;
    mine.invalid += counts.invalid;
  }
  for (const auto& v : other.violations_) add_violation(v);
}

std::uint64_t validation_stats::invalid() const {
  std::uint64_t total = unknown_;
  for (const auto& [key, counts] : by_type_) total += counts.invalid;
  return total;
}

boost::json::object validation_stats::to_json() const {
  boost::json::object out;
  out["protocol"] = protocol_;
  out["dialect"] = dialect_;
  out["mode"] = mode_.to_string();
  boost::json::array messages;
  for (const auto& [key, counts] : by_type_) {
    messages.push_back({{"direction", key.first}, {"type", key.second}, {"valid", counts.valid},
                        {"invalid", counts.invalid}});
  }
  out["messages"] = std::move(messages);
  boost::json::array violations;
  for (const auto& v : violations_) {
    boost::json::object o{{"direction", v.direction}, {"pointer", v.pointer}, {"keyword", v.keyword},
                          {"detail", v.detail}, {"excerpt", v.excerpt}, {"count", v.count}};
    o["type"] = v.type.empty() ? boost::json::value(nullptr) : boost::json::value(v.type);
    violations.push_back(std::move(o));
  }
  out["violations"] = std::move(violations);
  out["unknown"] = unknown_;
  out["validated"] = validated_;
  out["skipped"] = skipped_;
  return out;
}

}  // namespace drover::protocols
