// Each benchmark scenario runs in a child process of its own, so that its CPU time and
// peak RSS are its own and nothing it leaves behind reaches the next one.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>

namespace bench {

struct Usage {
  double cpu_seconds = 0;  // user + system
  double peak_rss_mb = 0;
};

inline Usage usage_so_far() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
              static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6,
          static_cast<double>(usage.ru_maxrss) / 1024.0};
}

// Resident memory now, in MB (/proc/self/statm).
inline double rss_now_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

// Runs `scenario` in a child and waits for it; its exit code is the scenario's.
inline int in_child(const std::function<int()>& scenario) {
  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    const int code = scenario();
    std::fflush(stdout);
    _exit(code);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace bench
