#include <iomanip>
#include <ostream>

#include "harness/protocols/commands.hpp"

namespace drover::protocols {

int protocols_command(const protocol_catalog& catalog, std::ostream& out) {
  if (catalog.protocols().empty()) out << "no protocols under " << catalog.root().string() << "\n";
  bool first = true;
  for (const auto& p : catalog.protocols()) {
    if (!first) out << "\n";
    first = false;
    out << p.name();
    if (!p.title().empty()) out << " - " << p.title();
    out << "\n  discriminator: " << p.discriminator() << "; dialects:";
    for (const auto& d : p.dialects()) out << " " << d << (&d == &p.dialects().front() ? " (default)" : "");
    out << "\n  messages:\n";
    for (const auto& m : p.messages()) {
      out << "    " << std::left << std::setw(7) << to_string(m.dir) << std::setw(22) << m.name;
      if (m.text) {
        out << "text frame \"" << *m.text << "\"";
      } else {
        out << (m.schema.empty() ? std::string("(no schema)") : m.schema);
      }
      if (!m.dialects.empty()) {
        out << "  [";
        for (std::size_t i = 0; i < m.dialects.size(); ++i) out << (i ? ", " : "") << m.dialects[i];
        out << "]";
      }
      out << "\n";
    }
    if (!p.close_codes().empty()) {
      out << "  close codes:\n";
      for (const auto& c : p.close_codes()) {
        out << "    " << c.code << "  " << std::left << std::setw(22) << c.name << c.meaning << "\n";
      }
    }
  }
  return 0;
}

}  // namespace drover::protocols
