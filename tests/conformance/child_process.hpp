#pragma once
// Child processes for the conformance tests: a long-running server whose first stdout line we
// read (the fake's "listening on HOST:PORT"), and one-shot commands whose output goes to a file.
// POSIX only. Not thread-safe per object; distinct objects may be used from distinct threads.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace drover::testing {

class child_process {
 public:
  // Starts argv[0] (a path) with stdout on a pipe and stderr inherited. Throws std::runtime_error
  // when the process cannot be started.
  explicit child_process(const std::vector<std::string>& argv);
  ~child_process();  // stop()
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // The next stdout line (without '\n'), or nullopt on EOF or when timeout passes first.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }

  // SIGTERM (once), then reaps the child; returns its exit status (128+signal when killed).
  // Waits at most 10 s before SIGKILL.
  int stop();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::optional<int> status_;
};

// Runs argv to completion with stdout and stderr appended to log_path; returns the exit status
// (128+signal when killed; 127 when it could not be started).
int run_to_file(const std::vector<std::string>& argv, const std::string& log_path);

}  // namespace drover::testing
