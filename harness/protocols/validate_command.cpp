#include <fstream>
#include <iostream>
#include <sstream>

#include "harness/protocols/commands.hpp"
#include "harness/protocols/json_locate.hpp"

namespace drover::protocols {
namespace {

struct tally {
  std::size_t messages = 0;
  std::size_t invalid = 0;
  bool unreadable = false;
};

// Picks the result to report: a valid one if any; else the direction that identified the
// message (the one with fewer violations when both did).
validation_result check(const protocol& p, std::string_view text, std::string_view dialect,
                        const std::vector<direction>& directions) {
  validation_result best;
  bool have = false;
  for (direction d : directions) {
    validation_result r = p.validate(d, text, dialect);
    if (r.valid()) return r;
    bool better = !have || (r.message && !best.message) ||
                  (static_cast<bool>(r.message) == static_cast<bool>(best.message) &&
                   r.violations.size() < best.violations.size());
    if (better) {
      best = std::move(r);
      have = true;
    }
  }
  return best;
}

void report(const std::string& file, std::size_t first_line, std::string_view text, const validation_result& r,
            tally& t, std::ostream& out) {
  ++t.messages;
  if (r.valid()) return;
  ++t.invalid;
  for (const auto& v : r.violations) {
    std::size_t line = first_line;
    if (r.json_ok) line += line_of_pointer(text, v.pointer) - 1;
    out << file << ":" << line << ": " << (r.message ? r.message->name : std::string("(unknown)")) << " "
        << (v.pointer.empty() ? std::string("/") : v.pointer) << ": " << v.keyword << ": " << v.detail << "\n";
  }
}

}  // namespace

int validate_command(const protocol_catalog& catalog, std::string protocol_name, std::vector<std::string> files,
                     std::string direction_text, std::string dialect, std::ostream& out, std::ostream& err,
                     std::istream& in) {
  const protocol* p = catalog.find(protocol_name);
  if (!p) {
    err << "drover validate: unknown protocol '" << protocol_name << "'; known:";
    for (const auto& name : catalog.names()) err << " " << name;
    err << "\n";
    return 2;
  }
  if (!dialect.empty() && !p->has_dialect(dialect)) {
    err << "drover validate: protocol " << p->name() << " has no dialect '" << dialect << "'; it has:";
    for (const auto& d : p->dialects()) err << " " << d;
    err << "\n";
    return 2;
  }
  std::vector<direction> directions;
  if (direction_text == "auto" || direction_text.empty()) {
    directions = {direction::client, direction::server};
  } else if (auto d = parse_direction(direction_text)) {
    directions = {*d};
  } else {
    err << "drover validate: --direction must be auto, client or server, not '" << direction_text << "'\n";
    return 2;
  }
  if (files.empty()) {
    err << "drover validate: give at least one FILE.json, or - to read messages from standard input\n";
    return 2;
  }
  tally t;
  for (const auto& file : files) {
    if (file == "-") {
      std::string line;
      for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        report("-", number, line, check(*p, line, dialect, directions), t, out);
      }
      continue;
    }
    std::ifstream stream(file, std::ios::binary);
    std::ostringstream content;
    if (stream) content << stream.rdbuf();
    if (!stream || stream.bad()) {
      err << file << ": cannot read the file\n";
      t.unreadable = true;
      continue;
    }
    std::string text = std::move(content).str();
    report(file, 1, text, check(*p, text, dialect, directions), t, out);
  }
  out << t.messages << (t.messages == 1 ? " message" : " messages") << " checked against " << p->name() << ": "
      << (t.messages - t.invalid) << " valid, " << t.invalid << " invalid\n";
  if (t.unreadable) return 2;
  return t.invalid > 0 ? 1 : 0;
}

int validate_command(const protocol_catalog& catalog, std::string protocol, std::vector<std::string> files,
                     std::string direction, std::string dialect, std::ostream& out, std::ostream& err) {
  return validate_command(catalog, std::move(protocol), std::move(files), std::move(direction), std::move(dialect),
                          out, err, std::cin);
}

}  // namespace drover::protocols
