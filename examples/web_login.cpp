// A reference "Sign in with Instagram" site: the state signed and bound to the browser
// (no server-side store: any instance of a fleet finishes a login another began), the code
// traded on the callback for a long-lived token that is stored (never shown), the profile
// fetched, a session started, logout, Meta's deauthorize and data-deletion callbacks and its
// webhooks verified.
//   INSTAGRAM_CLIENT_SECRET=... [INSTAGRAM_STATE_KEY=...] web_login [PORT]
// INSTAGRAM_CLIENT_ID names the app (default: the protocol document's sample);
// INSTAGRAM_ENDPOINT_BASE and INSTAGRAM_CA_FILE point it at a local look-alike.
// INSTAGRAM_STATE_KEY (≥ 32 bytes) must be the same on every instance; without it, each
// process makes its own and states survive only in that process.
// INSTAGRAM_REDIRECT_URI: the public callback address, for an instance behind a front (an
// https one turns on __Host- cookies with Secure). INSTAGRAM_APP_SECRETS: more secrets
// that may sign Meta's callbacks and webhooks besides the client secret (the Meta app's,
// an old one in rotation), comma-separated. INSTAGRAM_WEBHOOK_VERIFY_TOKEN: the token of
// the webhook subscription handshake. INSTAGRAM_SESSION_SECONDS: how long a session lasts
// (default 7 days), on the server as in the cookie.
// A fleet: INSTAGRAM_DATABASE_URL (libpq's conninfo) keeps sessions and tokens in PostgreSQL,
// the tokens sealed with INSTAGRAM_TOKEN_KEYS (comma-separated, each ≥ 32 bytes, the sealing
// key first), so that any instance serves any user. Without it, both stay in this process's
// memory.
// INSTAGRAM_REFRESH_SECONDS: how often this instance passes over the stored tokens to refresh
// the due ones (default 600; 0: never, when cron runs `instagram-oauth refresh-due`).
// Built with the Prometheus component, GET /metrics is a scrape of its requests to Instagram,
// Meta's usage and its webhook checks (keep it off the public internet in a deployment).
#include "web_login_users.hpp"

#include <instagram/oauth.hpp>
#ifdef WEB_LOGIN_WITH_POSTGRES
#include <instagram/oauth/postgres/session_store.hpp>
#include <instagram/oauth/postgres/token_store.hpp>
#endif
#ifdef WEB_LOGIN_WITH_PROMETHEUS
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <instagram/oauth/prometheus/telemetry.hpp>
#endif

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace instagram::oauth;

namespace {

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

std::string cookie(const httplib::Request& request, const std::string& name) {
  const std::string cookies = "; " + request.get_header_value("Cookie");
  const std::size_t at = cookies.find("; " + name + "=");
  if (at == std::string::npos) return {};
  const std::size_t start = at + name.size() + 3;
  return cookies.substr(start, cookies.find(';', start) - start);
}

// What this site's own values look like (generate_state: 43 base64url characters; the
// deletion codes: 32 letters and digits). Anything else in a cookie or a query is not one of
// ours, and is refused as such (400) before it reaches the storage.
bool well_formed(const std::string& value, std::size_t length, bool base64url) {
  if (value.size() != length) return false;
  for (const char c : value) {
    const bool alphanumeric =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alphanumeric && !(base64url && (c == '-' || c == '_'))) return false;
  }
  return true;
}

const char* env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// Headers a reviewer expects on every page; no-referrer keeps the code out of Referer.
void page(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; form-action 'self'; frame-ancestors 'none'; "
                      "base-uri 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-store");
  response.set_content("<!doctype html><meta charset=utf-8><title>Web login</title>" + body,
                       "text/html; charset=utf-8");
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    if (comma > at) parts.push_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return parts;
}

// A pass that did something, by outcome (user ids are in RefresherOptions::on_event).
void log_pass(const RefreshReport& pass) {
  if (pass.refreshed + pass.recovered + pass.failed + pass.reauthorization_needed +
          pass.unreadable + pass.superseded ==
      0) {
    return;
  }
  std::cout << "refresh pass: " << pass.refreshed << " refreshed, " << pass.recovered
            << " recovered, " << pass.failed << " failed, " << pass.reauthorization_needed
            << " need a new login, " << pass.unreadable << " unreadable, " << pass.superseded
            << " superseded" << std::endl;
}

// The storage a sign-in needs, or an error to stop at start-up for.
struct Storage {
  std::shared_ptr<TokenStore> tokens;
  std::shared_ptr<SessionStore> sessions;
  std::unique_ptr<WebUsers> users;
};

Result<Storage> open_storage() {
  const std::string database = env_or("INSTAGRAM_DATABASE_URL", "");
  if (database.empty()) {
    return Storage{std::make_shared<MemoryTokenStore>(), std::make_shared<MemorySessionStore>(),
                   memory_users()};
  }
#ifdef WEB_LOGIN_WITH_POSTGRES
  Result<std::shared_ptr<PostgresTokenStore>> tokens =
      PostgresTokenStore::open(database, split_commas(env_or("INSTAGRAM_TOKEN_KEYS", "")));
  if (!tokens) return tokens.error();
  Result<std::shared_ptr<PostgresSessionStore>> sessions = PostgresSessionStore::open(database);
  if (!sessions) return sessions.error();
  Result<std::unique_ptr<WebUsers>> users = postgres_users(database);
  if (!users) return users.error();
  return Storage{std::move(*tokens), std::move(*sessions), std::move(*users)};
#else
  return OAuthException(ErrorCategory::invalid_argument,
                        "INSTAGRAM_DATABASE_URL needs web_login built with the PostgreSQL "
                        "component (libpq)");
#endif
}

// A storage failure is the operator's to read, not the visitor's.
void storage_failed(httplib::Response& response, const OAuthException& error) {
  std::cerr << "storage: " << error.what() << std::endl;
  page(response, 503, "<p>The site cannot reach its storage; try again shortly.</p>");
}

httplib::Server* running = nullptr;

}  // namespace

int main(int argc, char** argv) {
  const char* secret = std::getenv("INSTAGRAM_CLIENT_SECRET");
  if (secret == nullptr || *secret == '\0') {
    std::cerr << "usage: INSTAGRAM_CLIENT_SECRET=... web_login [PORT]\n";
    return 2;
  }
  const int port = argc > 1 ? std::atoi(argv[1]) : 8080;
  const std::string site = "http://127.0.0.1:" + std::to_string(port);
  AppConfig app{env_or("INSTAGRAM_CLIENT_ID", "990602627938098"), secret,
                env_or("INSTAGRAM_REDIRECT_URI", (site + "/auth/").c_str())};
  ClientOptions options;
#ifdef WEB_LOGIN_WITH_PROMETHEUS
  prometheus::Registry registry;
  options.telemetry = prometheus_telemetry(registry);
#endif
  Telemetry no_telemetry;  // its hooks do nothing
  Telemetry& telemetry = options.telemetry ? *options.telemetry : no_telemetry;
  if (const char* base = std::getenv("INSTAGRAM_ENDPOINT_BASE")) {
    app.endpoints = app.endpoints.at(base);
    options.ca_file = env_or("INSTAGRAM_CA_FILE", "");
    options.allow_plain_http = true;  // honoured for loopback hosts only, never via a proxy
  }
  const std::string given_state_key = env_or("INSTAGRAM_STATE_KEY", "");
  const std::string state_key = given_state_key.empty() ? generate_state() : given_state_key;
  const StateSigner signer = StateSigner::create({state_key}).value();
  std::vector<std::string> app_secrets{app.client_secret};
  for (std::string& extra : split_commas(env_or("INSTAGRAM_APP_SECRETS", ""))) {
    app_secrets.push_back(std::move(extra));
  }
  const std::string webhook_verify_token = env_or("INSTAGRAM_WEBHOOK_VERIFY_TOKEN", "");
  const std::chrono::seconds session_lifetime(
      std::max(1L, std::atol(env_or("INSTAGRAM_SESSION_SECONDS", "604800"))));
  // The sign-out form's token: signed for the session's id, so that no store keeps it and a
  // cross-site POST, which cannot read the page, does not have it.
  const StateSigner logout_signer = StateSigner::create({state_key}, session_lifetime).value();
  const Result<std::shared_ptr<const TokenExchanger>> created =
      TokenExchanger::create_shared(app, options);
  if (!created) {  // fail at start-up, not at the first sign-in
    std::cerr << created.error().what() << '\n';
    return 2;
  }
  const TokenExchanger& exchanger = **created;
  const ProfileClient profiles = ProfileClient::create(app, exchanger.transport()).value();
  const RedirectParser parser(app);
  Result<Storage> storage = open_storage();
  if (!storage) {
    std::cerr << storage.error().what() << '\n';
    return 2;
  }
  TokenStore& tokens = *storage->tokens;
  SessionStore& sessions = *storage->sessions;
  WebUsers& users = *storage->users;
  // Every instance keeps the stored tokens alive, a pass every INSTAGRAM_REFRESH_SECONDS (10
  // minutes; 0: none, for `instagram-oauth refresh-due` from cron instead). The store's fenced
  // leases refresh each token once however many instances pass at the same time, and its
  // outcomes reach /metrics through the transport's telemetry.
  const long refresh_seconds = std::atol(env_or("INSTAGRAM_REFRESH_SECONDS", "600"));
  RefreshSchedule refreshing;
  if (refresh_seconds > 0) {
    refreshing = TokenRefresher(*created, storage->tokens)
                     .run_every(std::chrono::seconds(refresh_seconds),
                                [](const Result<RefreshReport>& pass) {
                                  if (!pass) {
                                    std::cerr << "refresh: " << pass.error().what() << std::endl;
                                    return;
                                  }
                                  if (pass->stopped_by) {
                                    std::cerr << "refresh: " << pass->stopped_by->what()
                                              << std::endl;
                                  }
                                  log_pass(*pass);
                                });
  }
  // Over https the cookies are Secure and named __Host- (bound to this exact host, no
  // Domain): a sibling subdomain or another port cannot plant one. Plain http serves only
  // 127.0.0.1 here, where browsers would refuse both.
  const bool https = app.redirect_uri.rfind("https://", 0) == 0;
  const std::string binding_cookie = https ? "__Host-binding" : "binding";
  const std::string session_cookie = https ? "__Host-session" : "session";
  const std::string cookie_flags =
      std::string("; Path=/; HttpOnly; SameSite=Lax") + (https ? "; Secure" : "");

  httplib::Server server;
  // On the open internet: no body the routes need is larger than Meta's webhooks (a few KB);
  // a larger one is refused (413) as it arrives, never read whole. A client that sends
  // nothing for 10 s is dropped.
  server.set_payload_max_length(256 * 1024);
  server.set_read_timeout(std::chrono::seconds(10));
  // A session cookie this site did not set: refused (and cleared), never looked up.
  const auto session_of =
      [&](const httplib::Request& request,
          httplib::Response& response) -> std::optional<Result<std::optional<Session>>> {
    const std::string id = cookie(request, session_cookie);
    if (id.empty()) return Result<std::optional<Session>>(std::optional<Session>());
    if (!well_formed(id, 43, true)) {
      response.set_header("Set-Cookie", session_cookie + "=" + cookie_flags + "; Max-Age=0");
      page(response, 400, "<p>The session cookie is not one this site set.</p>");
      return std::nullopt;
    }
    return sessions.load(id);
  };
  server.Get("/", [&](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Result<std::optional<Session>>> found = session_of(request, response);
    if (!found) return;
    const Result<std::optional<Session>>& session = *found;
    if (!session) return storage_failed(response, session.error());
    if (*session) {
      const Result<std::optional<std::string>> username = users.username((*session)->user_id);
      if (!username) return storage_failed(response, username.error());
      const Result<std::string> logout_token = logout_signer.issue((*session)->id);
      if (!logout_token) return storage_failed(response, logout_token.error());
      return page(response, 200,
                  "<p>Signed in as @" + html_escape(username->value_or("")) + " (Instagram user " +
                      html_escape((*session)->user_id) +
                      ").</p><form method=post action=/logout><input type=hidden name=token "
                      "value=\"" +
                      html_escape(*logout_token) + "\"><button id=logout>Sign out</button></form>");
    }
    page(response, 200, "<p><a id=login href=\"/login\">Sign in with Instagram</a></p>");
  });

  server.Get("/login", [&](const httplib::Request&, httplib::Response& response) {
    // The browser binding: random, in an HttpOnly cookie; the state is signed for it.
    // Always minted here, never taken from the request: a binding someone else planted
    // would let them finish the login in their own browser.
    const std::string binding = generate_state();
    const Result<std::string> state = signer.issue(binding, "/");
    const Result<std::string> url =
        state ? AuthorizeUrlBuilder(app).scope("instagram_business_basic").state(*state).build()
              : Result<std::string>(state.error());
    if (!url) return page(response, 500, "<p>" + html_escape(url.error().what()) + "</p>");
    response.set_header("Set-Cookie",
                        binding_cookie + "=" + binding + cookie_flags + "; Max-Age=600");
    response.set_redirect(*url);
  });

  server.Get("/auth/", [&](const httplib::Request& request, httplib::Response& response) {
    // The binding is used once: a replayed callback finds none.
    response.set_header("Set-Cookie", binding_cookie + "=" + cookie_flags + "; Max-Age=0");
    const auto refuse = [&](const OAuthException& error) {
      // The hint says what the user can do (a state that does not check out: start again).
      const std::string hint =
          error.hint().empty() ? std::string() : "<p>" + html_escape(error.hint()) + "</p>";
      page(response, 400,
           "<p>Not signed in: " + html_escape(error.error_message()) + "</p>" + hint +
               "<p><a href=\"/login\">Sign in</a></p>");
    };
    const std::string redirect =
        app.redirect_uri +
        request.target.substr(std::min(request.path.size(), request.target.size()));
    // The state is checked by its signature and this browser's binding, not by equality
    // with a stored value.
    const Result<SignedRedirect> signed_in =
        parser.parse(redirect, signer, cookie(request, binding_cookie));
    if (!signed_in) return refuse(signed_in.error());  // forged, another browser, denied, …
    const Result<AccessToken> token = exchanger.exchange(signed_in->code);
    if (!token) return refuse(token.error());
    // The hour-long token traded for a 60-day one, which the store keeps (and refresh-due
    // keeps alive); the browser never sees either.
    const Result<AccessToken> kept = exchanger.exchange_for_long_lived(token->access_token);
    if (!kept) return refuse(kept.error());
    const Result<UserProfile> profile = profiles.me(kept->access_token);
    if (!profile) return refuse(profile.error());
    const Result<void> saved = tokens.save(StoredToken{token->user_id, *kept, {}, {}});
    if (!saved) return storage_failed(response, saved.error());
    const Result<Session> session = users.remember(token->user_id, profile->username).and_then([&] {
      return sessions.create(token->user_id, session_lifetime);
    });
    if (!session) return storage_failed(response, session.error());
    response.set_header("Set-Cookie", session_cookie + "=" + session->id + cookie_flags +
                                          "; Max-Age=" + std::to_string(session_lifetime.count()));
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_redirect(signed_in->return_to.empty() ? "/" : signed_in->return_to, 303);
  });

  // Sign-out is a POST with the session's own token from the page's form: SameSite=Lax
  // alone would let any page of the same site sign the user out.
  server.Post("/logout", [&](const httplib::Request& request, httplib::Response& response) {
    const std::optional<Result<std::optional<Session>>> found = session_of(request, response);
    if (!found) return;
    const Result<std::optional<Session>>& session = *found;
    if (!session) return storage_failed(response, session.error());
    if (!*session || !logout_signer.verify(request.get_param_value("token"), (*session)->id)) {
      return page(response, 403, "<p>Not signed out: the request did not come from this site.</p>");
    }
    if (const Result<bool> ended = sessions.remove((*session)->id); !ended) {
      return storage_failed(response, ended.error());
    }
    response.set_header("Set-Cookie", session_cookie + "=" + cookie_flags + "; Max-Age=0");
    response.set_redirect("/", 303);
  });

  // Meta's callbacks: a form POST with signed_request, signed with an app secret and
  // issued within the hour (a captured one does not replay). Either deletes the user's token
  // and sessions and answers, or answers 400 with the error's category (503: storage).
  const auto forget_verified_user =
      [&](const httplib::Request& request,
          httplib::Response& response) -> std::optional<SignedRequest> {
    const Result<SignedRequest> signed_request = parse_signed_request(
        request.get_param_value("signed_request"), app_secrets, std::chrono::hours(1));
    if (!signed_request) {
      response.status = 400;
      response.set_content(to_string(signed_request.error().category()).data(), "text/plain");
      return std::nullopt;
    }
    const Result<void> forgotten =
        tokens.remove(signed_request->user_id)
            .and_then([&](bool) { return sessions.remove_user(signed_request->user_id); })
            .and_then([&](std::size_t) { return users.forget(signed_request->user_id); });
    if (!forgotten) {
      storage_failed(response, forgotten.error());
      return std::nullopt;
    }
    return *signed_request;
  };
  server.Post("/instagram/deauthorize",
              [&](const httplib::Request& request, httplib::Response& response) {
                if (forget_verified_user(request, response)) {
                  response.set_content("ok", "text/plain");
                }
              });
  // Meta shows the user the status URL and the code; the status page reads the record.
  const std::string public_base =
      app.redirect_uri.substr(0, app.redirect_uri.find('/', app.redirect_uri.find("://") + 3));
  server.Post("/instagram/data-deletion", [&](const httplib::Request& request,
                                              httplib::Response& response) {
    const std::optional<SignedRequest> forgotten = forget_verified_user(request, response);
    if (!forgotten) return;
    // The same request again (Meta retrying within its hour) answers the same code.
    const Result<std::string> confirmation =
        try_generate_alphanumeric().and_then([&](const std::string& code) {
          return users.record_deletion(forgotten->user_id, forgotten->issued_at.value_or(0), code);
        });
    if (!confirmation) return storage_failed(response, confirmation.error());
    response.set_content(
        data_deletion_response(public_base + "/deletion?id=" + *confirmation, *confirmation),
        "application/json");
  });
  server.Get("/deletion", [&](const httplib::Request& request, httplib::Response& response) {
    const std::string code = request.get_param_value("id");
    if (!well_formed(code, 32, false)) {
      return page(response, 400, "<p>That is not a deletion request's code.</p>");
    }
    const Result<std::optional<std::chrono::system_clock::time_point>> deleted =
        users.deletion(code);
    if (!deleted) return storage_failed(response, deleted.error());
    if (!*deleted) {
      return page(response, 404,
                  "<p>No deletion request has the code " + html_escape(code) + ".</p>");
    }
    const std::time_t when = std::chrono::system_clock::to_time_t(**deleted);
    std::tm utc{};
    char date[32] = {};
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&when, &utc));
    page(response, 200,
         "<p id=deletion>Deletion request " + html_escape(code) +
             ": your token and sessions were deleted on " + date + ".</p>");
  });

  // Meta's webhooks: the subscription handshake, then events signed over their raw body.
  server.Get("/webhooks", [&](const httplib::Request& request, httplib::Response& response) {
    const std::size_t query = request.target.find('?');
    const Result<std::string> challenge = webhook_challenge(
        query == std::string::npos ? "" : request.target.substr(query), webhook_verify_token);
    if (!challenge) {
      response.status = 403;
      return response.set_content(to_string(challenge.error().category()).data(), "text/plain");
    }
    response.set_content(*challenge, "text/plain");
  });
  server.Post("/webhooks", [&](const httplib::Request& request, httplib::Response& response) {
    const Result<void> verified = verify_webhook_signature(
        request.body, request.get_header_value("X-Hub-Signature-256"), app_secrets, telemetry);
    if (!verified) {
      response.status = 403;
      return response.set_content(to_string(verified.error().category()).data(), "text/plain");
    }
    // Logged by kind and size only: an event's fields may carry user content.
    std::cout << "webhook: a verified event of " << request.body.size() << " bytes" << std::endl;
    response.set_content("EVENT_RECEIVED", "text/plain");
  });

#ifdef WEB_LOGIN_WITH_PROMETHEUS
  server.Get("/metrics", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(prometheus::TextSerializer().Serialize(registry.Collect()),
                         "text/plain; version=0.0.4");
  });
#endif

  running = &server;
  std::signal(SIGTERM, [](int) { running->stop(); });
  std::signal(SIGINT, [](int) { running->stop(); });
  if (!server.bind_to_port("127.0.0.1", port)) {
    std::cerr << "transport: cannot listen on 127.0.0.1:" << port << '\n';
    return 1;
  }
  std::cout << "web_login listening at " << site << "/" << std::endl;
  server.listen_after_bind();
}
