#include "process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <map>
#include <stdexcept>

extern char** environ;

namespace instagram::oauth::testing {

Process::Process(const std::vector<std::string>& argv, const Environment& environment,
                 std::string input) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::size_t eq = text.find('=');
    if (eq != std::string::npos) variables[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [name, value] : environment) {
    if (value) {
      variables[name] = *value;
    } else {
      variables.erase(name);
    }
  }
  std::vector<std::string> env_text;
  for (const auto& [name, value] : variables) env_text.push_back(name + "=" + value);
  std::vector<char*> env_pointers;
  for (std::string& entry : env_text) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  const int spawned = posix_spawn(&pid_, args.front().c_str(), &actions, nullptr,
                                  arg_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw std::runtime_error("posix_spawn " + args.front() + ": " + std::strerror(spawned));
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = ::write(in_pipe[1], input.data() + written, input.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(in_pipe[1]);
  reader_ = std::thread([this, out = out_pipe[0], err = err_pipe[0]] { read_output(out, err); });
}

Process::~Process() {
  if (!result_) wait(std::chrono::seconds(5));
}

void Process::read_output(int out_fd, int err_fd) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buffer[8192];
  while (open_count > 0) {
    if (::poll(fds, 2, 100) < 0) break;
    for (pollfd& fd : fds) {
      if (fd.fd < 0 || (fd.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(fd.fd, buffer, sizeof buffer);
      if (n <= 0) {
        ::close(fd.fd);
        fd.fd = -1;
        --open_count;
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      (fd.fd == out_fd ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
      changed_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  finished_reading_ = true;
  changed_.notify_all();
}

bool Process::wait_for_stdout(std::string_view text, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  const bool appeared = changed_.wait_for(lock, timeout, [&] {
    return out_.find(text) != std::string::npos || finished_reading_;
  }) && out_.find(text) != std::string::npos;
  // Why a program did not start is on its stderr; the test's own failure would not say.
  if (!appeared) std::cerr << "the program's stderr so far:\n" << err_ << std::endl;
  return appeared;
}

std::string Process::stdout_so_far() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return out_;
}

void Process::terminate() {
  if (!result_ && pid_ > 0) ::kill(pid_, SIGTERM);
}

void Process::signal(int number) {
  if (!result_ && pid_ > 0) ::kill(pid_, number);
}

void Process::kill() {
  if (!result_ && pid_ > 0) ::kill(pid_, SIGKILL);
}

ProcessResult Process::wait(std::chrono::milliseconds timeout) {
  if (result_) return *result_;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  reader_.join();
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::lock_guard<std::mutex> lock(mutex_);
  result.out = out_;
  result.err = err_;
  result_ = result;
  return result;
}

}  // namespace instagram::oauth::testing
