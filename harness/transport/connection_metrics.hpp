#pragma once
// Internal: the built-in ws_* metrics of one connection. Each metric is looked up in the
// recorder on first use and kept (the recorder guarantees stable references); a null recorder
// makes every call a no-op. Worker thread only.
#include <cstddef>

#include "harness/metrics/recorder.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::transport::detail {

class connection_metrics {
 public:
  explicit connection_metrics(metrics::recorder* rec) : rec_(rec) {}

  void opened(clock::duration connecting, clock::duration handshaking);
  void sent(std::size_t payload_bytes);
  void received(std::size_t payload_bytes);
  void ping(clock::duration rtt);
  // session: open -> end; close_code recorded when the connection was open and not aborted.
  void ended(clock::duration session, int close_code, bool record_close_code);
  // Every failure except recv_timeout and cancelled (a script's business / our own doing).
  void error(const error_info& err);

 private:
  static double ms(clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

  struct message_counters {
    metrics::counter_metric* msgs = nullptr;
    metrics::counter_metric* bytes = nullptr;
    void add(metrics::recorder& rec, std::string_view msgs_name, std::string_view bytes_name, std::size_t payload_bytes);
  };

  metrics::recorder* rec_;
  message_counters sent_;
  message_counters received_;
};

}  // namespace drover::transport::detail
