#pragma once
// What the Lua API of one worker may use: owned by the worker, shared by its clients,
// touched only on the worker's thread.
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "harness/transport/ws_connection.hpp"

namespace drover::metrics {
class recorder;
}

namespace drover::scenario {

struct client_environment {
  boost::asio::io_context& io;
  boost::asio::ssl::context* tls = nullptr;  // null when no TLS context could be made
  metrics::recorder& rec;
  transport::clock::time_point run_start;
  std::string default_target;                // used by ws.connect() without a URL
  transport::connect_options connect_defaults;
  std::chrono::milliseconds recv_timeout{30'000};
  std::map<std::string, std::string> env;    // --env KEY=VALUE, exposed as the global `env`
  bool quiet = false;                        // log() prints nothing when true
  bool stopping = false;                     // the run reached its duration (graceful stop)
  // Message validation hook (protocols): called for each message received and each message a
  // script sends with conn:send (not send_raw). Empty when the scenario declares no protocol.
  std::function<void(transport::direction, std::string_view payload, bool binary)> observe;
  int worker_index = 0;
  // Conformance case results (JSON text, one per report_case() call); owned by the worker.
  std::vector<std::string>* case_results = nullptr;

  double ms_since_start(transport::clock::time_point t) const {
    return std::chrono::duration<double, std::milli>(t - run_start).count();
  }
};

}  // namespace drover::scenario
