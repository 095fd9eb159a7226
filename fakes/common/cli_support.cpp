#include "fakes/common/cli_support.hpp"

#include <cstdio>

#include "harness/common/error.hpp"

namespace drover::fakes {

void add_listen_and_fault_flags(CLI::App& app, listen_options& listen, std::vector<std::string>& faults,
                                bool& list_faults, const std::string& fault_scope) {
  app.add_option("--port", listen.port, "TCP port (0: pick a free one)");
  app.add_option("--host", listen.host, "address to listen on")->capture_default_str();
  app.add_option("--threads", listen.threads, "worker threads (0: one per core)");
  app.add_option("--fault", faults, "a named fault for every " + fault_scope + " (repeatable; see --list-faults)")
      ->delimiter(',');
  app.add_flag("--list-faults", list_faults, "print the faults this fake knows and exit");
}

std::optional<int> parse_fake_flags(CLI::App& app, int argc, char** argv, const std::string& program) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
    return static_cast<int>(exit_code::usage);
  }
  return std::nullopt;
}

int run_fake(const std::string& program, const std::function<int()>& body) {
  try {
    return body();
  } catch (const usage_error& e) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
    return static_cast<int>(exit_code::usage);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: internal error: %s\n", program.c_str(), e.what());
    return static_cast<int>(exit_code::internal);
  }
}

}  // namespace drover::fakes
