#include <array>
#include <string>
#include <string_view>

#include "harness/reporting/result_document.hpp"

namespace drover::reporting {

std::string close_code_meaning(int code) {
  // RFC 6455 section 7.4.1 and the IANA WebSocket Close Code Number Registry.
  static constexpr std::array<std::string_view, 16> standard = {
      "Normal Closure",      "Going Away",         "Protocol Error",    "Unsupported Data",
      "Reserved",            "No Status Received", "Abnormal Closure",  "Invalid Frame Payload Data",
      "Policy Violation",    "Message Too Big",    "Mandatory Extension", "Internal Error",
      "Service Restart",     "Try Again Later",    "Bad Gateway",       "TLS Handshake",
  };
  if (code >= 1000 && code <= 1015) return std::string(standard[static_cast<std::size_t>(code - 1000)]);
  if (code >= 3000 && code <= 3999) return "Registered (libraries, frameworks)";
  if (code >= 4000 && code <= 4999) return "Application-defined";
  return {};
}

}  // namespace drover::reporting
