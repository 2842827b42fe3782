// nginx as an HTTP/2 look-alike, which cpp-httplib cannot be: started with its own
// configuration, answering a fixed token (at once, or after a latency) over HTTP, HTTPS
// and HTTPS with h2; connections counted through stub_status. Header-only, for this
// project's tests and benchmarks (nginx-light, with its echo module, at run time).
#pragma once

#include "loopback.hpp"
#include "test_certificates.hpp"

#include <curl/curl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace instagram::oauth::testing {

// The one answer nginx gives to every token POST.
constexpr const char* nginx_access_token = "IGQVJXYZ0123456789abcdefghijklmnopqrstuvwxyz";
constexpr const char* nginx_user_id = "17841405793187218";

enum class Listener { http, https, http2 };

// Where a token POST goes: answered on its headers, before the body is read (nginx's
// `return`, as a server may); after `latency` (echo_sleep, also without reading the body);
// or after reading the body, which is then logged when NginxOptions::log_bodies is set.
enum class Route { answer_first, slow, read_body };

struct NginxOptions {
  std::chrono::milliseconds latency{100};  // of Route::slow
  // Requests a connection serves before nginx ends it (HTTP/2: GOAWAY; HTTP/1.1: a
  // "Connection: close" answer); nginx's own default is 1,000.
  long keepalive_requests = 10'000'000;
  bool log_bodies = false;  // Route::read_body's bodies, one a line, for logged_bodies()
};

// nginx with its own configuration, started here and stopped by its PID. It answers
// /oauth/access_token with a fixed token at once, and /slow/oauth/access_token after
// `latency` (the echo module's echo_sleep), over plain HTTP, HTTPS (HTTP/1.1 only) and
// HTTPS with h2 offered by ALPN.
class Nginx {
 public:
  explicit Nginx(std::chrono::milliseconds latency = std::chrono::milliseconds(100))
      : Nginx(NginxOptions{latency}) {}
  explicit Nginx(const NginxOptions& options) : directory_(make_temp_directory("nginx")) {
    const std::chrono::milliseconds latency = options.latency;
    certificates_ = make_test_certificates(directory_ + "/tls");
    http_port_ = free_loopback_port();
    https_port_ = free_loopback_port();
    http2_port_ = free_loopback_port();
    const std::string echo = "/usr/lib/nginx/modules/ngx_http_echo_module.so";
    const std::string token_answer = std::string(R"({"access_token":")") + nginx_access_token +
                                     R"(","user_id":)" + nginx_user_id + "}";
    std::ofstream conf(directory_ + "/nginx.conf");
    if (std::ifstream(echo).good()) conf << "load_module " << echo << ";\n";
    conf << "worker_processes 1;\n"
         << "pid " << directory_ << "/nginx.pid;\n"
         << "error_log " << directory_ << "/error.log warn;\n"
         << "events { worker_connections 8192; }\n"
         << "http {\n  access_log off;\n  keepalive_requests " << options.keepalive_requests
         << ";\n  keepalive_timeout 120s;\n"
         << "  log_format bodies '$request_body';\n"
         << "  http2_max_concurrent_streams 128;\n"
         << "  client_body_temp_path " << directory_ << "/body;\n"
         << "  ssl_certificate " << certificates_.cert_file << ";\n"
         << "  ssl_certificate_key " << certificates_.key_file << ";\n"
         << "  server {\n"
         << "    listen 127.0.0.1:" << http_port_ << ";\n"
         << "    listen 127.0.0.1:" << https_port_ << " ssl;\n"
         << "    listen 127.0.0.1:" << http2_port_ << " ssl http2;\n"
         << "    location = /oauth/access_token { default_type application/json; return 200 '"
         << token_answer << "'; }\n"
         << "    location = /slow/oauth/access_token { default_type application/json; echo_sleep "
         << static_cast<double>(latency.count()) / 1000.0 << "; echo '" << token_answer << "'; }\n"
         << "    location = /read/oauth/access_token { default_type application/json; "
         << (options.log_bodies ? "access_log " + directory_ + "/bodies.log bodies; " : "")
         << "echo_read_request_body; echo '" << token_answer << "'; }\n"
         << "    location = /status { stub_status; }\n"
         << "  }\n}\n";
    conf.close();
    const std::string nginx = std::getenv("NGINX") ? std::getenv("NGINX") : "/usr/sbin/nginx";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string conf_file = directory_ + "/nginx.conf";
      execl(nginx.c_str(), "nginx", "-p", directory_.c_str(), "-c", conf_file.c_str(), "-e",
            (directory_ + "/error.log").c_str(), "-g", "daemon off; master_process off;", nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500 && accepted() < 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (accepted() < 0)
      throw std::runtime_error("nginx did not start (" + directory_ + "/error.log)");
  }
  ~Nginx() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }

  // Whether this machine has the nginx these tests run (nginx-light, or $NGINX).
  static bool installed() {
    const char* nginx = std::getenv("NGINX");
    return access(nginx != nullptr ? nginx : "/usr/sbin/nginx", X_OK) == 0;
  }

  std::string url(bool tls) const { return url(tls ? Listener::https : Listener::http, false); }
  std::string url(Listener listener, bool slow) const {
    return url(listener, slow ? Route::slow : Route::answer_first);
  }
  std::string url(Listener listener, Route route) const {
    const int port = listener == Listener::http    ? http_port_
                     : listener == Listener::https ? https_port_
                                                   : http2_port_;
    const char* prefix = route == Route::slow ? "/slow" : route == Route::read_body ? "/read" : "";
    return std::string(listener == Listener::http ? "http" : "https") +
           "://127.0.0.1:" + std::to_string(port) + prefix + "/oauth/access_token";
  }

  // The bodies Route::read_body has logged so far (with NginxOptions::log_bodies), one per
  // request, as nginx wrote them (its log escapes bytes outside printable ASCII).
  std::vector<std::string> logged_bodies() const {
    std::vector<std::string> bodies;
    std::ifstream log(directory_ + "/bodies.log");
    for (std::string line; std::getline(log, line);) bodies.push_back(line);
    return bodies;
  }
  const std::string& ca_file() const { return certificates_.ca_file; }

  // What wrk measures of the fixed answer (GET, 1 thread, 8 connections, 2 s), so that the
  // server is seen not to be the bottleneck.
  std::string capacity() const {
    if (std::system("command -v wrk >/dev/null 2>&1") != 0)
      return "not measured (wrk is not installed)";
    const std::string command = "wrk -t1 -c8 -d2s " + url(false) + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "not measured";
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    pclose(pipe);
    const std::size_t at = output.find("Requests/sec:");
    if (at == std::string::npos) return "not measured";
    return std::to_string(std::atol(output.c_str() + at + 13)) +
           " requests/s (wrk, GET, 1 thread, 8 connections)";
  }

  // Connections nginx has accepted so far, not counting this query's own; -1 if it is down.
  long accepted() const { return status_counter(0); }
  // Requests nginx has begun to handle (their headers read), not counting this query.
  long requests() const { return status_counter(2); }

 private:
  // One of stub_status's "accepts handled requests" (0, 1, 2), less this query's own
  // connection and request; -1 if nginx is down.
  long status_counter(int which) const {
    CURL* easy = curl_easy_init();
    std::string body;
    const std::string status = "http://127.0.0.1:" + std::to_string(http_port_) + "/status";
    curl_easy_setopt(easy, CURLOPT_URL, status.c_str());
    curl_easy_setopt(
        easy, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
          static_cast<std::string*>(out)->append(data, size * count);
          return size * count;
        });
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    const bool ok = curl_easy_perform(easy) == CURLE_OK;
    curl_easy_cleanup(easy);
    if (!ok) return -1;
    const char* at =
        body.c_str() + body.find("\n", body.find("server accepts handled requests")) + 1;
    long value = 0;
    for (int i = 0; i <= which; ++i) {
      char* end = nullptr;
      value = std::strtol(at, &end, 10);
      at = end;
    }
    return value - 1;
  }

  std::string directory_;
  CertificateFiles certificates_;
  int http_port_ = 0;
  int https_port_ = 0;
  int http2_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace instagram::oauth::testing
