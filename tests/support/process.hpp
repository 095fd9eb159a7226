#pragma once
// Child processes for integration tests: the real drover binary and its fakes.
// A fake is started with --port 0 and its port read from its "listening on HOST:PORT" line;
// every child is stopped by pid (SIGTERM, then SIGKILL) when its handle goes away.
#include <sys/types.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace drover::test {

struct process_result {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs argv to completion (killed after timeout) and captures its output.
process_result run_process(const std::vector<std::string>& argv, std::chrono::seconds timeout = std::chrono::seconds(120));

class child_process {
 public:
  // Starts argv with stdout piped; stderr goes to the test's stderr.
  explicit child_process(const std::vector<std::string>& argv);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Reads stdout until a line starting with prefix; returns the line ("" on EOF/timeout).
  std::string wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout);
  void signal(int sig);
  int wait(std::chrono::milliseconds timeout);  // exit code, -1 on timeout
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool exited_ = false;
  int status_ = 0;
};

// A fake server started as `drover fake NAME --port 0 ARGS...`; port() is what it listens on.
class fake_process {
 public:
  fake_process(const std::string& name, const std::vector<std::string>& args = {});
  int port() const { return port_; }
  std::string url(const std::string& path_and_query = "/") const;
  child_process& process() { return process_; }

 private:
  child_process process_;
  int port_ = 0;
};

// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
int unused_port();

// A fresh temporary directory (removed by the caller if it wants).
std::string temp_dir(const std::string& prefix);

std::string read_file(const std::string& path);

// Local IPv4 addresses (dotted) of the ESTABLISHED TCP connections whose remote port is `port`:
// the client ends of connections to a server on that port, read from /proc/net/tcp.
std::set<std::string> client_addresses_connected_to(int port);

}  // namespace drover::test
