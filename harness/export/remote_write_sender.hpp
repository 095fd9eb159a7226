#pragma once
// Sends remote write request bodies to one Prometheus endpoint, in order, one request at a
// time, from a thread of its own, so that a slow or dead receiver never holds up the caller
// (the run's controller). Bodies wait in a bounded queue; when it is full the oldest waiting
// body is dropped (counted). A transport error, a 5xx or a 429 is retried (at most
// max_attempts in all, with a short backoff, as the specification asks of senders); any other
// status is final. Each attempt is limited by `timeout` (connect included).
//
// Threading: enqueue, stats and finish may be called from any thread (in practice the
// controller's). The sender's own thread runs an io_context with an http_client on it.
// Ownership: the sender owns its thread; finish() (or the destructor) stops and joins it.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "harness/common/url.hpp"
#include "harness/transport/ws_connection.hpp"

namespace drover::exporting {

struct remote_write_options {
  std::string url;                               // http:// or https://, e.g. http://host:9090/api/v1/write
  std::chrono::milliseconds timeout{5'000};      // one attempt: connect, send, response
  std::size_t max_queued = 60;                   // bodies waiting (not counting the one in flight)
  int max_attempts = 3;                          // per body, for retryable failures
  std::chrono::milliseconds first_backoff{250};  // doubled after each retry
  transport::tls_options tls;                    // for https:// (system CAs plus tls.ca_file)
};

struct remote_write_stats {
  std::uint64_t queued = 0;   // bodies handed to enqueue()
  std::uint64_t sent = 0;     // accepted by the receiver (2xx)
  std::uint64_t failed = 0;   // given up after an error or a refusal (non-2xx)
  std::uint64_t dropped = 0;  // never sent: pushed out of a full queue, or still waiting at finish()
  std::string first_error;    // what went wrong first, for the user ("" when nothing failed)
};

class remote_write_sender {
 public:
  // Throws usage_error when the URL is not http:// or https://, or --ca cannot be read.
  explicit remote_write_sender(remote_write_options options);
  ~remote_write_sender();
  remote_write_sender(const remote_write_sender&) = delete;
  remote_write_sender& operator=(const remote_write_sender&) = delete;

  // Queues one request body (encode_remote_write's output). Never blocks on the network.
  // Ignored after finish().
  void enqueue(std::string body);

  // Waits at most `wait` for the bodies queued so far to be sent (retries included), then
  // abandons what is left (a request in flight is cancelled and counted failed, the waiting
  // ones dropped), stops the thread and returns the final counts. Later calls return them again.
  remote_write_stats finish(std::chrono::milliseconds wait);

  remote_write_stats stats() const;

  // The receiver's URL for messages: without its query (which may carry a credential).
  const std::string& url() const { return url_text_; }

 private:
  struct state;  // lives on the sender's thread
  std::string url_text_;
  std::shared_ptr<state> state_;
  std::thread thread_;
  bool finished_ = false;
  std::mutex finish_mutex_;
};

}  // namespace drover::exporting
