#pragma once
// State of the vStats fake in the real dialect (docs/protocols/vstats.md §14): the servers
// whose agents authenticated (online or not, last report) and the dashboards. A new dashboard
// gets a snapshot (stream_init, one stream_server per server, stream_end); afterwards every
// delta interval all dashboards get one delta with what changed since the previous one (online
// flags, the figures of new reports), or an empty delta when nothing did.
//
// Threading: any method from any worker thread; one mutex guards everything. The ticker (a
// timer on the worker that first calls ensure_ticker) sends deltas and marks servers offline
// after missed_reports x report_interval of silence. Outlives the workers' threads.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>

#include "fakes/vstats/registry.hpp"
#include "fakes/vstats/tokens.hpp"

namespace drover::fakes::vstats {

struct real_options {
  std::chrono::milliseconds delta_interval{5'000};
  std::chrono::milliseconds report_interval{5'000};
  int missed_reports = 3;
};

// Snapshot faults of one dashboard (fakes/README.md, vstats real-dialect table).
struct snapshot_faults {
  bool miscount = false, no_stream_end = false, all_offline = false;
};

class real_registry {
 public:
  explicit real_registry(real_options options) : options_(options) {}
  real_registry(const real_registry&) = delete;
  real_registry& operator=(const real_registry&) = delete;

  void ensure_ticker(const boost::asio::any_io_executor& ex);

  // Pushes the snapshot into box, then registers it for deltas (atomically: no delta is lost
  // or doubled between the two).
  void add_dashboard(const std::shared_ptr<dashboard_box>& box, snapshot_faults faults = {});
  void remove_dashboard(const std::shared_ptr<dashboard_box>& box);

  void agent_authenticated(const server_info& server);
  // A report (the real shape, under "metrics"): a sign of life and the figures of the next delta.
  void agent_report(const std::string& server_id, boost::json::object report);

 private:
  struct entry {
    server_info info;
    bool online = false;
    std::optional<boost::json::object> report;
    std::chrono::steady_clock::time_point last_seen;
    bool online_changed = false, report_changed = false;
  };
  void tick();
  void arm(const std::shared_ptr<void>& timer);
  static boost::json::object compact(const boost::json::object& report);

  real_options options_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> servers_;
  std::vector<std::string> order_;  // servers in the order they first authenticated
  std::vector<std::shared_ptr<dashboard_box>> dashboards_;
  std::chrono::steady_clock::time_point next_delta_ = std::chrono::steady_clock::now();
  std::once_flag ticker_started_;
};

}  // namespace drover::fakes::vstats
