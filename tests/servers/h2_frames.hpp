// tests/servers/h2_frames.py from C++: a hostile HTTP/2 server written frame by frame
// (Debian's python3-h2), with several origins, each with its own certificate and stream
// limit, and a control port that counts what it processed and releases what it holds.
// Header-only: the tests that start it link tests/support/process.cpp.
#pragma once

#include <instagram/oauth/http.hpp>

#include "process.hpp"
#include "test_certificates.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace instagram::oauth::testing {

class H2Frames {
 public:
  struct Listener {
    std::string name;
    std::size_t max_streams = 100;  // SETTINGS_MAX_CONCURRENT_STREAMS
    std::string common_name;        // the certificate's subject CN; empty: "localhost"
  };

  // The python3 with python3-h2 (H2_FRAMES_PYTHON, from tests/CMakeLists.txt), or empty.
  static std::string python() {
#if defined(H2_FRAMES_PYTHON)
    return H2_FRAMES_PYTHON;
#else
    return {};
#endif
  }
  static std::string script() {
#if defined(H2_FRAMES_SCRIPT)
    return H2_FRAMES_SCRIPT;
#else
    return {};
#endif
  }

  // Throws std::runtime_error when the server does not start.
  explicit H2Frames(const std::vector<Listener>& listeners)
      : directory_(make_temp_directory("h2frames")) {
    nlohmann::json config;
    std::string cas;
    for (const Listener& listener : listeners) {
      const std::string dir = directory_ + "/" + listener.name;
      certificates_.push_back(
          make_test_certificates(dir, {"localhost", "127.0.0.1"}, listener.common_name));
      const CertificateFiles& files = certificates_.back();
      std::ifstream ca(files.ca_file);
      cas += std::string(std::istreambuf_iterator<char>(ca), {});
      config["listeners"][listener.name] = {{"cert", files.cert_file},
                                            {"key", files.key_file},
                                            {"max_streams", listener.max_streams}};
    }
    ca_file_ = directory_ + "/cas.pem";
    std::ofstream(ca_file_) << cas;
    process_ =
        std::make_unique<Process>(std::vector<std::string>{python(), script(), config.dump()});
    if (!process_->wait_for_stdout("\n", std::chrono::seconds(20))) {
      throw std::runtime_error("tests/servers/h2_frames.py did not start");
    }
    const std::string out = process_->stdout_so_far();
    const std::size_t ready = out.find("ready ");
    if (ready == std::string::npos) throw std::runtime_error("h2_frames.py: " + out);
    ports_ = nlohmann::json::parse(out.substr(ready + 6)).get<std::map<std::string, int>>();
    ClientOptions options;
    options.allow_plain_http = true;
    control_ = make_curl_transport(options);
  }

  ~H2Frames() {
    process_->terminate();
    process_->wait(std::chrono::seconds(10));
    for (const CertificateFiles& files : certificates_) {
      remove_test_certificates(files, files.ca_file.substr(0, files.ca_file.rfind('/')));
    }
    std::remove(ca_file_.c_str());
    ::rmdir(directory_.c_str());
  }

  H2Frames(const H2Frames&) = delete;
  H2Frames& operator=(const H2Frames&) = delete;

  // https://127.0.0.1:PORT + path on the named origin.
  std::string url(const std::string& listener, const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(ports_.at(listener)) + path;
  }
  // Every listener's CA, for ClientOptions::ca_file.
  const std::string& ca_file() const {
    return ca_file_;
  }

  // How many times `code` was processed.
  int count(const std::string& code) const {
    return std::stoi(control("GET", "/count?code=" + code));
  }
  // How many requests are held now.
  int held() const {
    return std::stoi(control("GET", "/held"));
  }
  // Waits (bounded) until `n` requests are held; false if they never were.
  bool wait_until_held(int n) const {
    for (int i = 0; i < 2000; ++i) {
      if (held() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  // The held request of `code` ended: "reset" (RST_STREAM) or "close" (its connection).
  void release(const std::string& code, const std::string& how) const {
    control("POST", "/release?code=" + code + "&how=" + how);
  }

 private:
  std::string control(const char* method, const std::string& path) const {
    HttpRequest request;
    request.method = std::string(method) == "POST" ? HttpMethod::post : HttpMethod::get;
    request.url = "http://127.0.0.1:" + std::to_string(ports_.at("control")) + path;
    Result<HttpResponse> answer = control_->send(request);
    if (!answer || answer->status != 200) {
      throw std::runtime_error("h2_frames.py control " + path + " failed");
    }
    return answer->body;
  }

  std::string directory_;
  std::vector<CertificateFiles> certificates_;
  std::string ca_file_;
  std::unique_ptr<Process> process_;
  std::map<std::string, int> ports_;
  std::shared_ptr<HttpTransport> control_;
};

}  // namespace instagram::oauth::testing
