#include <instagram/oauth/testing/instagram_mock.hpp>

#include "loopback.hpp"
#include "test_certificates.hpp"

#include <instagram/oauth/detail/url.hpp>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

namespace instagram::oauth::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto code_lifetime = std::chrono::hours(1);
constexpr long long long_lived_seconds = 5'183'944;  // the figure Meta's pages show

std::string random_token(std::string_view prefix, std::size_t length) {
  constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string bytes(length, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(length)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  std::string token(prefix);
  for (const char byte : bytes) token += alphabet[static_cast<unsigned char>(byte) & 63];
  return token;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The token endpoint's error shape, as the document shows it.
void oauth_error(httplib::Response& res, const std::string& message) {
  res.status = 400;
  res.set_content(
      json{{"error_type", "OAuthException"}, {"code", 400}, {"error_message", message}}.dump(),
      "application/json");
}

// graph.instagram.com's error shape.
void graph_error(httplib::Response& res, const std::string& message, int code, int subcode) {
  res.status = 400;
  json error = {{"message", message},
                {"type", "OAuthException"},
                {"code", code},
                {"fbtrace_id", "AbCdEfGhIjK"}};
  if (subcode != 0) error["error_subcode"] = subcode;
  res.set_content(json{{"error", error}}.dump(), "application/json");
}

// cpp-httplib's workers wait out the keep-alive timeout on an idle connection before they
// look whether the server stopped: a client holding one would keep the look-alike (and
// `mock-server` after SIGTERM) alive that long. Shutting down the sockets this process
// accepted on `port` ends the wait at once.
void shut_down_connections_to(int port) {
  DIR* fds = ::opendir("/proc/self/fd");
  if (fds == nullptr) return;
  while (const dirent* entry = ::readdir(fds)) {
    const int fd = std::atoi(entry->d_name);
    sockaddr_in local{};
    sockaddr_in peer{};
    socklen_t local_size = sizeof local;
    socklen_t peer_size = sizeof peer;
    if (fd > 2 && fd != ::dirfd(fds) &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) == 0 &&
        local.sin_family == AF_INET && ntohs(local.sin_port) == port &&
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) == 0) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  ::closedir(fds);
}

}  // namespace

struct InstagramMock::Impl {
  struct IssuedCode {
    Clock::time_point issued;
    std::string redirect_uri;
    bool used = false;
  };

  MockOptions options;
  CertificateFiles certificates;
  std::string own_directory;  // made for this look-alike: removed when it stops
  std::unique_ptr<httplib::Server> server;
  httplib::Server redirect_target;
  std::thread server_thread;
  std::thread redirect_thread;
  int server_port = 0;
  int redirect_port = 0;

  mutable std::mutex mutex;
  std::condition_variable stopping_signal;
  bool stopping = false;
  Fault fault = Fault::none;
  SuccessShape shape = SuccessShape::flat;
  UserDecision decision = UserDecision::allow;
  std::chrono::seconds clock_offset{0};
  std::optional<MetaUsage> meta_usage;  // set_meta_usage's
  std::size_t throttled_answers = 0;    // throttle()'s, left
  std::chrono::minutes throttled_for{0};
  std::map<std::string, IssuedCode> codes;
  std::set<std::string> short_lived_tokens;
  std::map<std::string, Clock::time_point> long_lived_tokens;  // and when each was issued
  std::size_t refresh_count = 0;
  std::string api_error_message;
  int api_error_code = 400;
  int api_error_subcode = 0;
  std::set<std::pair<std::string, int>> peers;
  std::size_t request_count = 0;
  std::atomic<std::size_t> redirect_hits{0};
  httplib::Headers last_headers;

  explicit Impl(MockOptions mock_options) : options(std::move(mock_options)), shape(options.shape) {
    if (options.tls) {
      if (options.certificate_directory.empty()) {
        own_directory = make_temp_directory("instagram-mock-ca");
      }
      const std::string directory =
          own_directory.empty() ? options.certificate_directory : own_directory;
      certificates = make_test_certificates(directory, options.certificate_names);
      server = std::make_unique<httplib::SSLServer>(certificates.cert_file.c_str(),
                                                    certificates.key_file.c_str());
    } else {
      server = std::make_unique<httplib::Server>();
    }
    if (!server->is_valid()) throw std::runtime_error("the mock server could not be set up");
    server->new_task_queue = [threads = options.threads] {
      return new httplib::ThreadPool(threads);
    };
    server->set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle delay
    server->set_keep_alive_max_count(1'000'000);
    server->set_keep_alive_timeout(static_cast<time_t>(options.keep_alive_timeout.count()));
    server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::unique_lock<std::mutex> lock(mutex);
      peers.emplace(req.remote_addr, req.remote_port);
      ++request_count;
      // Every answer waits; woken early when the look-alike stops.
      if (options.latency.count() > 0) {
        stopping_signal.wait_for(lock, options.latency, [this] { return stopping; });
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // A Date header on every answer, as Instagram sends, skewed by date_offset.
    server->set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const std::time_t when = std::chrono::system_clock::to_time_t(
          std::chrono::system_clock::now() + options.date_offset);
      std::tm parts{};
      gmtime_r(&when, &parts);
      char date[64];
      std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &parts);
      res.set_header("Date", date);
      if (req.path.rfind("/oauth/", 0) != 0) add_usage_headers(res);
    });
    server->Get("/oauth/authorize", [this](const auto& req, auto& res) { authorize(req, res); });
    server->Post("/oauth/access_token", [this](const auto& req, auto& res) { token(req, res); });
    server->Get("/access_token", [this](const auto& req, auto& res) { long_lived(req, res); });
    server->Get("/refresh_access_token", [this](const auto& req, auto& res) { refresh(req, res); });
    server->Get(R"(/(v[0-9.]+/)?me)", [this](const auto& req, auto& res) { me(req, res); });
    redirect_target.Post(".*", [this](const auto&, auto& res) {
      ++redirect_hits;
      res.set_content("{}", "application/json");
    });

    // cpp-httplib listens with a backlog of 5, fixed in Debian's compiled library: hundreds
    // of connections at once overflow it and are reset. Listening again raises it (Linux).
    int listening = -1;
    server->set_socket_options([&listening](int socket) {
      const int on = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
      listening = socket;
    });
    server_port = options.port == 0
                      ? server->bind_to_any_port("127.0.0.1")
                      : (server->bind_to_port("127.0.0.1", options.port) ? options.port : -1);
    if (listening >= 0) ::listen(listening, 4096);
    redirect_port = redirect_target.bind_to_any_port("127.0.0.1");
    if (server_port <= 0 || redirect_port <= 0)
      throw std::runtime_error("the mock server could not bind");
    server_thread = std::thread([this] { server->listen_after_bind(); });
    redirect_thread = std::thread([this] { redirect_target.listen_after_bind(); });
    // Both sockets already listen; wait for the accept loops so that stop() cannot race them.
    while (!server->is_running() || !redirect_target.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    stopping_signal.notify_all();
    server->stop();
    redirect_target.stop();
    shut_down_connections_to(server_port);
    shut_down_connections_to(redirect_port);
    server_thread.join();
    redirect_thread.join();
    if (!own_directory.empty()) remove_test_certificates(certificates, own_directory);
  }

  std::string base_url() const {
    return std::string(options.tls ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(server_port);
  }

  Clock::time_point now() const { return Clock::now() + clock_offset; }

  std::string issue_code_locked(const std::string& redirect_uri) {
    std::string code = random_token("AQB", 40);
    codes[code] = IssuedCode{now(), redirect_uri, false};
    return code;
  }

  // The Authorization Window: the user allows (a code) or cancels (the error triple).
  void authorize(const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("client_id") != options.client_id)
      return oauth_error(res, "Invalid platform app");
    const std::string redirect_uri = req.get_param_value("redirect_uri");
    if (redirect_uri != options.redirect_uri) return oauth_error(res, "Invalid redirect_uri");
    if (req.get_param_value("response_type") != "code")
      return oauth_error(res, "Invalid response_type");
    std::string scopes = "," + req.get_param_value("scope") + ",";
    for (char& c : scopes) c = c == ' ' ? ',' : c;
    const std::string& required = options.api.required_scope;
    if (!required.empty() && scopes.find("," + required + ",") == std::string::npos) {
      return oauth_error(res, "Invalid scope field(s): " + required + " is required");
    }
    // A browser is shown the consent page, as Instagram shows one; its buttons come back
    // here with decision=allow or decision=deny. Other clients get the set decision at once.
    const std::string choice = req.get_param_value("decision");
    if (choice.empty() && req.get_header_value("Accept").find("text/html") != std::string::npos) {
      return consent_page(req, res);
    }
    std::string location = redirect_uri + (redirect_uri.find('?') == std::string::npos ? "?" : "&");
    std::lock_guard<std::mutex> lock(mutex);
    const bool allowed = choice.empty() ? decision == UserDecision::allow : choice == "allow";
    if (allowed) {
      location += "code=" + detail::percent_encode(issue_code_locked(redirect_uri));
    } else {
      location +=
          "error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+"
          "request";
    }
    if (req.has_param("state"))
      location += "&state=" + detail::percent_encode(req.get_param_value("state"));
    res.status = 302;
    res.set_header("Location", location + (allowed ? "#_" : ""));
  }

  // "Allow" and "Cancel", each a form that repeats the request's parameters.
  void consent_page(const httplib::Request& req, httplib::Response& res) const {
    std::string hidden;
    for (const auto& [name, value] : req.params) {
      hidden += "<input type=hidden name=\"" + html_escape(name) + "\" value=\"" +
                html_escape(value) + "\">";
    }
    const auto button = [&](const char* decision_value, const char* label) {
      return std::string("<form method=get action=\"/oauth/authorize\">") + hidden +
             "<input type=hidden name=decision value=" + decision_value +
             "><button id=" + decision_value + " type=submit>" + label + "</button></form>";
    };
    res.set_content(
        "<!doctype html><meta charset=utf-8><title>Instagram</title>"
        "<h1>Allow this app to access your Instagram account?</h1><p>@" +
            html_escape(options.username) + "</p>" + button("allow", "Allow") +
            button("deny", "Cancel"),
        "text/html; charset=utf-8");
  }

  // Serves the configured fault, if any; true when the answer is made. `graph`: the
  // endpoint answers in graph.instagram.com's error shape.
  bool serve_fault(httplib::Response& res, bool graph = false) {
    Fault current;
    {
      std::lock_guard<std::mutex> lock(mutex);
      current = fault;
      if (graph && throttled_answers > 0) {
        // Meta's throttling: code 4, and the usage headers that say for how long.
        --throttled_answers;
        MetaUsage full;
        full.call_count = 100;
        full.regain_access = throttled_for;
        usage_headers(res, full);
        graph_error(res, "(#4) Application request limit reached", 4, 0);
        return true;
      }
    }
    switch (current) {
      case Fault::none:
        return false;
      case Fault::html_502:
        res.status = 502;
        res.set_content(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad "
            "Gateway</h1></body></html>",
            "text/html");
        return true;
      case Fault::stall: {
        std::unique_lock<std::mutex> lock(mutex);
        stopping_signal.wait_for(lock, options.stall, [this] { return stopping; });
        res.status = 504;
        res.set_content("stalled", "text/plain");
        return true;
      }
      case Fault::truncated_body:
        res.set_content_provider(
            200, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
              const std::string_view start = R"({"access_token":"IGQVJ)";
              sink.write(start.data(), start.size());
              return false;  // the connection drops with 178 bytes still promised
            });
        return true;
      case Fault::huge_chunked_body:
        res.set_chunked_content_provider(
            "application/json",
            [sent = std::size_t{0}](std::size_t, httplib::DataSink& sink) mutable {
              static const std::string chunk(64 * 1024, '7');
              constexpr std::size_t total = 10 * 1024 * 1024;
              if (sent == 0 && !sink.write("[", 1)) return false;
              if (!sink.write(chunk.data(), chunk.size())) return false;
              sent += chunk.size();
              if (sent >= total) sink.done();
              return true;
            });
        return true;
      case Fault::redirect_307:
        res.status = 307;
        res.set_header("Location",
                       "http://127.0.0.1:" + std::to_string(redirect_port) + "/oauth/access_token");
        return true;
      case Fault::graph_error:
        graph_error(res, "Invalid OAuth access token - Cannot parse access token", 190, 460);
        return true;
      case Fault::rfc6749_error:
        res.status = 400;
        res.set_content(
            R"({"error":"invalid_grant","error_description":"The authorization code is invalid"})",
            "application/json");
        return true;
      case Fault::not_json_200:
        res.set_content("OK", "text/plain");
        return true;
      case Fault::wrong_shape_200:
        res.set_content(R"({"token":"IGQVJ-not-where-it-belongs","id":1})", "application/json");
        return true;
      case Fault::empty_body:
        res.set_content("", "application/json");
        return true;
      case Fault::gzip_json: {
        // {"access_token":"IGQVJ-gzipped-token-0123456789","user_id":1}, gzip, no timestamp.
        static const std::string gzipped(
            "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\x4a\x4c\x4e\x4e\x2d\x2e\x8e\x2f"
            "\xc9\xcf\x4e\xcd\x53\xb2\x52\xf2\x74\x0f\x0c\xf3\xd2\x4d\xaf\xca\x2c\x28\x48\x4d"
            "\xd1\x05\x8b\xea\x1a\x18\x1a\x19\x9b\x98\x9a\x99\x5b\x58\x2a\xe9\x28\x95\x16\xa7"
            "\x16\xc5\x67\xa6\x28\x59\x19\xd6\x02\x00\x18\x8a\xad\x0d\x3d\x00\x00\x00",
            78);
        res.set_header("Content-Encoding", "gzip");
        res.set_content(gzipped, "application/json");
        return true;
      }
      case Fault::drip:
        res.set_chunked_content_provider(
            "application/json", [this](std::size_t, httplib::DataSink& sink) {
              std::unique_lock<std::mutex> lock(mutex);
              if (stopping_signal.wait_for(lock, std::chrono::seconds(1),
                                           [this] { return stopping; })) {
                return false;
              }
              lock.unlock();
              return sink.write("{", 1);
            });
        return true;
      case Fault::api_error: {
        std::lock_guard<std::mutex> lock(mutex);
        if (graph) {
          graph_error(res, api_error_message, api_error_code, api_error_subcode);
        } else {
          res.status = 400;
          res.set_content(json{{"error_type", "OAuthException"},
                               {"code", api_error_code},
                               {"error_message", api_error_message}}
                              .dump(),
                          "application/json");
        }
        return true;
      }
    }
    return false;
  }

  std::string token_answer(const std::string& access_token) const {
    const json user_id = json::parse(options.user_id);  // a number, exactly as written
    switch (shape) {
      case SuccessShape::flat:
        return json{{"access_token", access_token}, {"user_id", user_id}}.dump();
      case SuccessShape::string_user_id:
        return json{{"access_token", access_token}, {"user_id", options.user_id}}.dump();
      case SuccessShape::data:
        return json{{"data", json::array({json{{"access_token", access_token},
                                               {"user_id", options.user_id},
                                               {"permissions", options.permissions}}})}}
            .dump();
      case SuccessShape::permissions_array: {
        json permissions = json::array();
        std::string list = options.permissions + ",";
        for (std::size_t at = 0, comma; (comma = list.find(',', at)) != std::string::npos;
             at = comma + 1) {
          if (comma > at) permissions.push_back(list.substr(at, comma - at));
        }
        return json{
            {"access_token", access_token}, {"user_id", user_id}, {"permissions", permissions}}
            .dump();
      }
    }
    return {};
  }

  // Step 2: POST form (urlencoded or multipart) for a short-lived token.
  void token(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      last_headers = req.headers;  // also when a fault answers
    }
    if (serve_fault(res)) return;
    const bool multipart = req.is_multipart_form_data();
    const auto field = [&](const char* name) -> std::optional<std::string> {
      if (multipart) {
        if (!req.has_file(name)) return std::nullopt;
        return req.get_file_value(name).content;
      }
      if (!req.has_param(name)) return std::nullopt;
      return req.get_param_value(name);
    };
    std::lock_guard<std::mutex> lock(mutex);
    std::map<std::string, std::string> form;
    for (const char* name : {"client_id", "client_secret", "grant_type", "redirect_uri", "code"}) {
      auto value = field(name);
      if (!value) return oauth_error(res, std::string("Missing required field ") + name);
      form[name] = std::move(*value);
    }
    if (form["client_id"] != options.client_id) return oauth_error(res, "Invalid platform app");
    if (form["client_secret"] != options.client_secret)
      return oauth_error(res, "Error validating client secret.");
    if (form["grant_type"] != "authorization_code")
      return oauth_error(res, "Unsupported grant_type");
    const auto code = codes.find(form["code"]);
    if (code == codes.end() || code->second.used) {
      return oauth_error(res, "Matching code was not found or was already used");
    }
    if (now() - code->second.issued > code_lifetime) {
      code->second.used = true;
      return oauth_error(res, "This authorization code has expired");
    }
    if (form["redirect_uri"] != code->second.redirect_uri) {
      return oauth_error(
          res,
          "Error validating verification code. Please make sure your redirect_uri is "
          "identical to the one you used in the OAuth dialog request");
    }
    code->second.used = true;
    const std::string access_token = random_token("IGQVJ", 60);
    short_lived_tokens.insert(access_token);
    res.set_content(token_answer(access_token), "application/json");
  }

  // GET graph /access_token: a short-lived token for a long-lived one.
  void long_lived(const httplib::Request& req, httplib::Response& res) {
    if (serve_fault(res, true)) return;
    std::lock_guard<std::mutex> lock(mutex);
    if (req.get_param_value("grant_type") != "ig_exchange_token") {
      return graph_error(res, "Unsupported grant type", 100, 0);
    }
    if (req.get_param_value("client_secret") != options.client_secret) {
      return graph_error(res, "Error validating client secret.", 101, 0);
    }
    if (short_lived_tokens.count(req.get_param_value("access_token")) == 0) {
      return graph_error(res, "Invalid OAuth access token - Cannot parse access token", 190, 0);
    }
    issue_long_lived(res);
  }

  // GET graph /refresh_access_token: a long-lived token for a fresh one.
  void refresh(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++refresh_count;
    }
    if (serve_fault(res, true)) return;
    std::lock_guard<std::mutex> lock(mutex);
    if (req.get_param_value("grant_type") != "ig_refresh_token") {
      return graph_error(res, "Unsupported grant type", 100, 0);
    }
    const auto token = long_lived_tokens.find(req.get_param_value("access_token"));
    if (token == long_lived_tokens.end()) {
      return graph_error(res, "Invalid OAuth access token - Cannot parse access token", 190, 0);
    }
    if (expired(token->second)) return session_expired(res);
    if (now() - token->second < std::chrono::hours(24)) {
      // Meta documents the rule, not its wording: this is the look-alike's.
      return graph_error(res, "The access token can be refreshed once it is 24 hours old", 100, 0);
    }
    issue_long_lived(res);
  }

  bool expired(Clock::time_point issued) const {
    return now() - issued >= std::chrono::seconds(long_lived_seconds);
  }

  void session_expired(httplib::Response& res) const {
    graph_error(res,
                "Error validating access token: Session has expired on Sunday, 29-Nov-26 "
                "04:00:00 PST. The current time is Monday, 30-Nov-26 05:00:00 PST.",
                190, 463);
  }

  // GET graph /{version}/me?fields=…: who granted the token, with the fields asked for.
  void me(const httplib::Request& req, httplib::Response& res) {
    if (serve_fault(res, true)) return;
    std::lock_guard<std::mutex> lock(mutex);
    const std::string access_token = req.get_param_value("access_token");
    const auto long_lived_token = long_lived_tokens.find(access_token);
    if (long_lived_token != long_lived_tokens.end() && expired(long_lived_token->second)) {
      return session_expired(res);
    }
    if (long_lived_token == long_lived_tokens.end() &&
        short_lived_tokens.count(access_token) == 0) {
      return graph_error(res, "Invalid OAuth access token - Cannot parse access token", 190, 0);
    }
    const bool strings = options.profile_shape == ProfileShape::string_counts;
    const auto count = [strings](long long value) {
      return strings ? json(std::to_string(value)) : json(value);
    };
    const json all = {{"id", options.app_scoped_id},
                      {"user_id", options.user_id},
                      {"username", options.username},
                      {"name", "Social Sizzle"},
                      {"account_type", "Business"},
                      {"profile_picture_url", "https://scontent.cdninstagram.com/v/profile.jpg"},
                      {"followers_count", count(1234)},
                      {"follows_count", count(56)},
                      {"media_count", count(78)}};
    json profile = {{"id", options.app_scoped_id}};
    std::string fields = req.get_param_value("fields") + ",";
    for (std::size_t at = 0, comma; (comma = fields.find(',', at)) != std::string::npos;
         at = comma + 1) {
      const std::string field = fields.substr(at, comma - at);
      if (all.contains(field)) profile[field] = all[field];
    }
    if (options.profile_shape == ProfileShape::data)
      profile = json{{"data", json::array({profile})}};
    res.set_content(profile.dump(), "application/json");
  }

  // Meta's two usage headers, as its pages show them, when set_meta_usage gave figures (and
  // the answer has none yet).
  void add_usage_headers(httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    if (meta_usage && !res.has_header("X-App-Usage")) usage_headers(res, *meta_usage);
  }

  static void usage_headers(httplib::Response& res, const MetaUsage& usage) {
    json app = json::object();
    const auto put = [](json& object, const char* name, const std::optional<int>& figure) {
      if (figure) object[name] = *figure;
    };
    put(app, "call_count", usage.call_count);
    put(app, "total_cputime", usage.total_cputime);
    put(app, "total_time", usage.total_time);
    json business = app;
    business["type"] = "instagram";
    if (usage.regain_access) {
      business["estimated_time_to_regain_access"] = usage.regain_access->count();
    }
    res.set_header("X-App-Usage", app.dump());
    res.set_header("X-Business-Use-Case-Usage",
                   json{{"17841405793187218", json::array({business})}}.dump());
  }

  void issue_long_lived(httplib::Response& res) {
    const std::string access_token = random_token("IGQWR", 120);
    long_lived_tokens[access_token] = now();
    res.set_content(json{{"access_token", access_token},
                         {"token_type", "bearer"},
                         {"expires_in", long_lived_seconds}}
                        .dump(),
                    "application/json");
  }
};

InstagramMock::InstagramMock(MockOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
InstagramMock::~InstagramMock() = default;

std::string InstagramMock::base_url() const {
  return impl_->base_url();
}
int InstagramMock::port() const {
  return impl_->server_port;
}

Endpoints InstagramMock::endpoints() const {
  return impl_->options.api.at(base_url());
}

AppConfig InstagramMock::app_config() const {
  return AppConfig{impl_->options.client_id, impl_->options.client_secret,
                   impl_->options.redirect_uri, endpoints()};
}

const std::string& InstagramMock::ca_file() const {
  return impl_->certificates.ca_file;
}

ClientOptions InstagramMock::client_options() const {
  ClientOptions options;
  options.allow_plain_http = !impl_->options.tls;
  options.ca_file = ca_file();
  return options;
}

std::string InstagramMock::webhook_signature(const std::string& body) const {
  const std::string& secret = impl_->options.client_secret;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &size);
  std::string header = "sha256=";
  constexpr char hex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < size; ++i) {
    header += hex[digest[i] >> 4];
    header += hex[digest[i] & 15];
  }
  return header;
}

std::string InstagramMock::issue_code() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->issue_code_locked(impl_->options.redirect_uri);
}

void InstagramMock::set_fault(Fault fault) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->fault = fault;
}

void InstagramMock::set_shape(SuccessShape shape) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->shape = shape;
}

void InstagramMock::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->options.latency = latency;
}

void InstagramMock::set_user_decision(UserDecision decision) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->decision = decision;
}

void InstagramMock::fail_with_api_error(std::string message, int code, int subcode) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->api_error_message = std::move(message);
  impl_->api_error_code = code;
  impl_->api_error_subcode = subcode;
  impl_->fault = Fault::api_error;
}

void InstagramMock::throttle(std::chrono::minutes regain_access, std::size_t answers) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->throttled_for = regain_access;
  impl_->throttled_answers = answers;
}

void InstagramMock::set_meta_usage(std::optional<MetaUsage> usage) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->meta_usage = std::move(usage);
}

std::size_t InstagramMock::refreshes() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->refresh_count;
}

void InstagramMock::advance_clock(std::chrono::seconds by) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->clock_offset += by;
}

std::size_t InstagramMock::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->peers.size();
}

std::size_t InstagramMock::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->request_count;
}

std::size_t InstagramMock::redirect_target_hits() const {
  return impl_->redirect_hits.load();
}

std::string InstagramMock::last_header(const std::string& name) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto found = impl_->last_headers.find(name);
  return found == impl_->last_headers.end() ? std::string() : found->second;
}

}  // namespace instagram::oauth::testing
