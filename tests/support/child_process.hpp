#pragma once
// Runs a program with pipes on stdin, stdout and stderr, for tests that drive the real
// binary. Reads wait for expected text with poll() and a deadline, never a sleep.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace testing {

class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void write_line(const std::string& line);
  void close_stdin();
  // Reads stdout until `needle` appears after what earlier calls consumed; returns the
  // text read up to and including it. Throws on timeout or end of output.
  std::string read_until(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds{20});
  void kill_hard();  // SIGKILL, as a crash would
  int wait();        // exit code (128 + signal when killed)
  std::string all_stdout() const { return out_; }
  std::string read_stderr();

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::string out_;
  std::size_t consumed_ = 0;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace testing
