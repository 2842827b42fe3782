// doctor's look at the network: a URL reached (or only connected to) without following, with
// the time each phase took, the Date and the body's first 64 KiB; the proxy libcurl uses.
// Errors come back as text with any proxy's credentials masked.
#pragma once

#include "cli.hpp"

#include <string>

namespace instagram::oauth::cli {

struct Probe {
  bool reached = false;
  std::string error;  // libcurl's, proxy credentials masked
  double dns_ms = 0;
  double connect_ms = 0;
  double tls_ms = 0;
  long status = 0;
  std::string body;  // the first 64 KiB
  std::string date;  // the Date header
  std::string ca;    // the CA file libcurl verified with
};

enum class ProbeKind { connect_only, get };

// `url` reached as `connection` says (its CA file and time limit); never follows a redirect.
Probe probe(const std::string& url, const Connection& connection, ProbeKind kind);

// Whether `url` is https (TLS); plain http is the loopback look-alike's.
bool is_https(const std::string& url);

// "https://host:443" of a URL (the URL itself when it is not one).
std::string origin_of(const std::string& url);

// The proxy libcurl uses for `url`, from the environment as libcurl reads it, its user
// information masked; "none" without one. Not thread-safe with setenv.
std::string proxy_in_effect(const std::string& url);

}  // namespace instagram::oauth::cli
