// A throwaway PostgreSQL server for the tests: initdb in a temporary directory, on a free
// loopback port, trust authentication, durability off (it is thrown away). PostgreSQL
// refuses to run as root, so as root (CI) it runs as the `postgres` user Debian's package
// creates. Debian's `postgresql` package at run time; where it is missing, installed() says so.
#pragma once

#include "loopback.hpp"
#include "test_certificates.hpp"  // make_temp_directory

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace instagram::oauth::testing {

class PostgresServer {
 public:
  // The directory of initdb and pg_ctl (the newest installed), or empty.
  static std::string bin_directory() {
    FILE* pipe = popen("ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1", "r");
    if (pipe == nullptr) return {};
    char line[512] = {};
    const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
    pclose(pipe);
    std::string directory = read ? line : "";
    while (!directory.empty() && directory.back() == '\n') directory.pop_back();
    return access((directory + "/initdb").c_str(), X_OK) == 0 ? directory : std::string();
  }
  static bool installed() { return !bin_directory().empty(); }

  // `durable_commits`: a commit is in the server's log before it is acknowledged, so that
  // crash_and_restart() loses nothing acknowledged (off, commits are quicker).
  explicit PostgresServer(bool durable_commits = false)
      : bin_(bin_directory()),
        directory_(make_temp_directory("postgres")),
        durable_commits_(durable_commits) {
    if (bin_.empty()) throw std::runtime_error("PostgreSQL is not installed");
    port_ = free_loopback_port();
    if (getuid() == 0) {
      as_user_ = "runuser -u postgres -- ";
      if (std::system(("chown postgres " + directory_).c_str()) != 0) {
        throw std::runtime_error("cannot give " + directory_ + " to the postgres user");
      }
    }
    run(bin_ + "/initdb -D " + data() + " -U postgres --auth=trust --no-sync -E UTF8 >" +
        directory_ + "/initdb.log 2>&1");
    start();
  }
  ~PostgresServer() {
    stop();
    std::system(("rm -rf " + directory_).c_str());
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  void start() {
    run(bin_ + "/pg_ctl -D " + data() + " -l " + directory_ + "/server.log -w -t 60 -o \"-p " +
        std::to_string(port_) + " -h 127.0.0.1 -k " + directory_ +
        " -c fsync=off -c synchronous_commit=" + (durable_commits_ ? "on" : "off") +
        " -c full_page_writes=off\" start >/dev/null");
  }
  // A fast shutdown: sessions are ended, as a restart of the server would end them.
  void stop() {
    std::system(
        (as_user_ + bin_ + "/pg_ctl -D " + data() + " -m fast -w stop >/dev/null 2>&1").c_str());
  }

  // The server killed without a shutdown (as a crash or a power cut: it recovers from its
  // log), then started again.
  void crash_and_restart() {
    std::system((as_user_ + bin_ + "/pg_ctl -D " + data() + " -m immediate -w stop >/dev/null 2>&1")
                    .c_str());
    start();
  }

  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres";
  }
  // Runs SQL statements with psql (stops at the first error, which throws).
  void sql(const std::string& statements) const {
    const std::string file = directory_ + "/statements.sql";
    if (FILE* out = std::fopen(file.c_str(), "wb")) {
      const std::string quiet = "SET client_min_messages = warning;\n" + statements;
      std::fwrite(quiet.data(), 1, quiet.size(), out);
      std::fclose(out);
    }
    run(bin_ + "/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " + std::to_string(port_) +
        " -U postgres -d postgres -f " + file + " >/dev/null");
  }

  // The database as pg_dump writes it, data included.
  std::string dump() const {
    const std::string file = directory_ + "/dump.sql";
    run(bin_ + "/pg_dump -h 127.0.0.1 -p " + std::to_string(port_) + " -U postgres -f " + file +
        " postgres");
    std::string text;
    if (FILE* in = std::fopen(file.c_str(), "rb")) {
      char buffer[4096];
      std::size_t got = 0;
      while ((got = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, got);
      std::fclose(in);
    }
    return text;
  }

 private:
  std::string data() const { return directory_ + "/data"; }
  void run(const std::string& command) const {
    if (std::system((as_user_ + command).c_str()) != 0) {
      throw std::runtime_error("failed: " + command + " (logs in " + directory_ + ")");
    }
  }

  std::string bin_;
  std::string directory_;
  bool durable_commits_ = false;
  std::string as_user_;  // "runuser -u postgres -- " as root
  int port_ = 0;
};

}  // namespace instagram::oauth::testing
