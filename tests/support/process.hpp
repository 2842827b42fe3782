// Runs a program as a user would (argv, environment, stdin) and captures its exit code,
// stdout and stderr; for the command-line and example tests.
#pragma once

#include "loopback.hpp"  // free_loopback_port()

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace instagram::oauth::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Each entry sets a variable, or with nullopt removes it from the inherited environment.
using Environment = std::vector<std::pair<std::string, std::optional<std::string>>>;

class Process {
 public:
  Process(const std::vector<std::string>& argv, const Environment& environment = {},
          std::string input = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // True once `text` has appeared on stdout; false after `timeout` or the program's exit,
  // its stderr so far then written to std::cerr.
  bool wait_for_stdout(std::string_view text, std::chrono::milliseconds timeout);
  std::string stdout_so_far() const;
  void terminate();  // SIGTERM
  void signal(int number);
  void kill();  // SIGKILL: no chance to clean up, as a crash or an OOM kill
  // Waits for the exit (SIGKILL after `timeout`) and for the output to end.
  ProcessResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  void read_output(int out_fd, int err_fd);

  pid_t pid_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string out_;
  std::string err_;
  bool finished_reading_ = false;
  std::optional<ProcessResult> result_;
};

inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 const Environment& environment = {}, std::string input = {}) {
  Process process(argv, environment, std::move(input));
  return process.wait();
}

}  // namespace instagram::oauth::testing
