#include "tests/support/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef DROVER_BINARY
#define DROVER_BINARY "drover"
#endif

namespace drover::test {

namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::vector<char*> c_args(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

void drain(int fd, std::string& into) {
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    break;
  }
}

}  // namespace

process_result run_process(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    auto args = c_args(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
  process_result result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool done = false;
  while (!done) {
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    poll(fds, 2, 50);
    drain(out_pipe[0], result.out);
    drain(err_pipe[0], result.err);
    if (waitpid(pid, &status, WNOHANG) == pid) {
      done = true;
    } else if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.err += "\n[test] killed after timeout\n";
      done = true;
    }
  }
  drain(out_pipe[0], result.out);
  drain(err_pipe[0], result.err);
  close(out_pipe[0]);
  close(err_pipe[0]);
  result.exit_code = decode_status(status);
  return result;
}

child_process::child_process(const std::vector<std::string>& argv) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    auto args = c_args(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd_ = out_pipe[0];
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
}

child_process::~child_process() {
  if (!exited_ && pid_ > 0) {
    kill(pid_, SIGTERM);
    if (wait(std::chrono::milliseconds(3000)) == -1) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
    }
  }
  if (out_fd_ >= 0) close(out_fd_);
}

std::string child_process::wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::size_t start = 0, nl;
    while ((nl = buffer_.find('\n', start)) != std::string::npos) {
      std::string line = buffer_.substr(start, nl - start);
      start = nl + 1;
      if (line.rfind(prefix, 0) == 0) {
        buffer_.erase(0, start);
        return line;
      }
    }
    buffer_.erase(0, start);
    if (std::chrono::steady_clock::now() > deadline) return {};
    pollfd fd{out_fd_, POLLIN, 0};
    poll(&fd, 1, 50);
    std::size_t before = buffer_.size();
    drain(out_fd_, buffer_);
    if (buffer_.size() == before && (fd.revents & POLLHUP)) return {};
  }
}

void child_process::signal(int sig) {
  if (!exited_) kill(pid_, sig);
}

int child_process::wait(std::chrono::milliseconds timeout) {
  if (exited_) return decode_status(status_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (waitpid(pid_, &status_, WNOHANG) == pid_) {
      exited_ = true;
      return decode_status(status_);
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

fake_process::fake_process(const std::string& name, const std::vector<std::string>& args)
    : process_([&] {
        std::vector<std::string> argv = {DROVER_BINARY, "fake", name, "--port", "0"};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
      }()) {
  std::string line = process_.wait_for_line("listening on ", std::chrono::seconds(20));
  auto colon = line.rfind(':');
  if (line.empty() || colon == std::string::npos) throw std::runtime_error("fake " + name + " did not start");
  port_ = std::stoi(line.substr(colon + 1));
}

std::string fake_process::url(const std::string& path_and_query) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

int unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string temp_dir(const std::string& prefix) {
  std::string pattern = "/tmp/drover-" + prefix + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  return buf.data();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::set<std::string> client_addresses_connected_to(int port) {
  std::set<std::string> out;
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state != "01") continue;  // ESTABLISHED
    if (std::stoi(remote.substr(remote.find(':') + 1), nullptr, 16) != port) continue;
    unsigned long ip = std::stoul(local.substr(0, local.find(':')), nullptr, 16);
    char text[16];
    std::snprintf(text, sizeof text, "%lu.%lu.%lu.%lu", ip & 0xff, (ip >> 8) & 0xff, (ip >> 16) & 0xff, ip >> 24);
    out.insert(text);
  }
  return out;
}

}  // namespace drover::test
