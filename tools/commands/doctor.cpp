// `instagram-oauth doctor`: an app's Instagram setup checked before its first user tries.
// Each check is one line (ok, warn, fail or skip), its fixed name, what it found, and a
// hint when there is something to do. Nothing it prints comes from a server unescaped, and
// the client secret is never printed.
#include "cli.hpp"
#include "commands.hpp"
#include "doctor_check.hpp"
#include "doctor_probe.hpp"
#include "options.hpp"

#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/known_errors.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace instagram::oauth::cli {
namespace {

struct DoctorArgs {
  Connection connection;  // client id and redirect URI optional here: their checks say so
  std::vector<std::string> scopes;
  std::string graph_version;  // empty: the library's pinned one
  std::string database;       // libpq conninfo: the token store checked too (PostgreSQL builds)
  std::string keys_file;      // default: $INSTAGRAM_TOKEN_KEYS
  bool json = false;
};

using Clock = std::chrono::system_clock;

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Check check_client_id(const std::string& client_id) {
  if (client_id.empty()) {
    return {"client_id", Status::fail, "none given",
            "pass --client-id or set INSTAGRAM_CLIENT_ID: the Instagram app ID from \"API setup "
            "with Instagram login\""};
  }
  if (!all_digits(client_id)) {
    return {"client_id", Status::fail, "\"" + text(client_id) + "\" is not all digits",
            "the Instagram app ID is a number, e.g. 990602627938098"};
  }
  const std::string found = client_id + " (" + std::to_string(client_id.size()) + " digits)";
  if (client_id.size() < 15 || client_id.size() > 17) {
    return {"client_id", Status::warn, found,
            "Meta's app IDs have 15 to 17 digits: check that it was copied whole"};
  }
  return {"client_id", Status::ok, found, {}};
}

Check check_client_secret(const std::optional<std::string>& secret) {
  if (!secret) {
    return {"client_secret", Status::fail, "none given",
            "set INSTAGRAM_CLIENT_SECRET or pass --client-secret-file (never on the command "
            "line): the Instagram app secret from \"API setup with Instagram login\""};
  }
  bool hex = secret->size() == 32;
  for (const char c : *secret) hex &= (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  const std::string found = "present, " + std::to_string(secret->size()) + " characters";
  // mock-server's own secret, as a local try of the setup against the look-alike gives it.
  if (*secret == testing::MockOptions{}.client_secret) {
    return {
        "client_secret", Status::ok, found + ": the look-alike's own (mock-server's default)", {}};
  }
  if (!hex) {
    return {"client_secret", Status::warn, found + ", not 32 hex digits",
            "Meta's app secrets are 32 lowercase hex digits: check for a space, a line break or "
            "a truncated copy"};
  }
  return {"client_secret", Status::ok, found + " of hex", {}};
}

// The web sign-in's own secrets, as examples/web_login reads them: whether they are set and
// usable, never their values.
Check check_state_key() {
  const std::optional<std::string> key = read_secret("INSTAGRAM_STATE_KEY", {});
  if (!key) {
    return {"state_key", Status::skip, "INSTAGRAM_STATE_KEY not set",
            "a fleet signs state with one key on every instance: without it each process makes "
            "its own, and a sign-in begun on one instance fails on another"};
  }
  const std::string found = "present, " + std::to_string(key->size()) + " bytes";
  if (const Result<StateSigner> signer = StateSigner::create({*key}); !signer) {
    return {"state_key", Status::fail, found + ": " + signer.error().error_message(),
            "use 32 random bytes or more, e.g. `openssl rand -base64 32`"};
  }
  return {"state_key", Status::ok, found, {}};
}

Check check_webhook_verify_token() {
  const std::optional<std::string> token = read_secret("INSTAGRAM_WEBHOOK_VERIFY_TOKEN", {});
  if (!token) {
    return {"webhook_verify_token", Status::skip, "INSTAGRAM_WEBHOOK_VERIFY_TOKEN not set",
            "needed only to answer Meta's webhook subscription handshake"};
  }
  const std::string found = "present, " + std::to_string(token->size()) + " characters";
  if (token->size() < 16) {
    return {"webhook_verify_token", Status::warn, found + ", under 16",
            "anyone who guesses it can answer the subscription handshake as you: use a random "
            "one, e.g. `openssl rand -hex 16`"};
  }
  return {"webhook_verify_token", Status::ok, found, {}};
}

Check check_redirect_uri(const std::string& uri) {
  if (uri.empty()) {
    return {"redirect_uri", Status::fail, "none given",
            "pass --redirect-uri: the address Instagram sends users back to"};
  }
  const std::string shown = "\"" + text(uri) + "\"";
  if (uri.find('#') != std::string::npos) {
    return {"redirect_uri", Status::fail, shown + " has a fragment",
            "a redirect URI cannot have a #fragment: Instagram appends #_ itself"};
  }
  if (std::string problem = detail::check_url("redirect_uri", uri); !problem.empty()) {
    return {"redirect_uri", Status::fail, shown + ": " + text(problem),
            "use an absolute https address (plain http only for 127.0.0.1, ::1 or localhost)"};
  }
  const std::string paste = "paste exactly " + shown +
                            " into the app's \"Business login settings\" > OAuth redirect URIs "
                            "(a trailing slash, www or a query make it another URI)";
  if (uri.find('?') != std::string::npos) {
    return {"redirect_uri", Status::warn, shown + " has a query string",
            "a query must match the registered URI byte for byte; carry data in the state "
            "instead. " +
                paste};
  }
  return {"redirect_uri", Status::ok, shown, paste};
}

// Scopes Instagram Login knows today, and the retired ones with what replaces them.
struct RetiredScope {
  std::string_view name;
  std::string_view replacement;
};
constexpr std::array<std::string_view, 5> current_scopes = {
    "instagram_business_basic", "instagram_business_content_publish",
    "instagram_business_manage_messages", "instagram_business_manage_comments",
    "instagram_business_manage_insights"};
constexpr std::array<RetiredScope, 7> retired_scopes = {{
    {"user_profile", "instagram_business_basic (Basic Display was shut on 2024-12-04)"},
    {"user_media", "instagram_business_basic (Basic Display was shut on 2024-12-04)"},
    {"business_basic", "instagram_business_basic"},
    {"business_content_publish", "instagram_business_content_publish"},
    {"business_manage_messages", "instagram_business_manage_messages"},
    {"business_manage_comments", "instagram_business_manage_comments"},
    {"business_manage_insights", "instagram_business_manage_insights"},
}};

std::vector<std::string> split_scopes(const std::vector<std::string>& given) {
  std::vector<std::string> scopes;
  for (const std::string& item : given) {
    std::size_t at = 0;
    while (at <= item.size()) {
      const std::size_t end = std::min(item.find_first_of(", ", at), item.size());
      if (end > at) scopes.push_back(item.substr(at, end - at));
      at = end + 1;
    }
  }
  return scopes;
}

Check check_scopes(const std::vector<std::string>& scopes, bool basic_display) {
  if (basic_display) {
    return {"scopes", Status::fail, "--api basic-display: that API was shut on 2024-12-04",
            "use --api instagram-login (Endpoints{}, the default) with instagram_business_* "
            "scopes"};
  }
  std::string shown;
  for (const std::string& scope : scopes) shown += (shown.empty() ? "" : ",") + text(scope);
  std::vector<std::string> problems;
  std::vector<std::string> unknown;
  bool has_basic = false;
  for (const std::string& scope : scopes) {
    has_basic |= scope == "instagram_business_basic";
    bool known = false;
    for (const std::string_view current : current_scopes) known |= scope == current;
    for (const RetiredScope& retired : retired_scopes) {
      if (scope == retired.name) {
        problems.push_back(std::string(retired.name) + " is retired: use " +
                           std::string(retired.replacement));
        known = true;
      }
    }
    if (!known) unknown.push_back(text(scope));
  }
  if (!problems.empty()) {
    std::string hint;
    for (const std::string& problem : problems) hint += (hint.empty() ? "" : "; ") + problem;
    return {"scopes", Status::fail, shown, hint};
  }
  if (!has_basic) {
    return {"scopes", Status::fail, shown,
            "instagram_business_basic is required: Instagram refuses an authorization without it"};
  }
  if (!unknown.empty()) {
    std::string names;
    for (const std::string& name : unknown) names += (names.empty() ? "" : ", ") + name;
    return {"scopes", Status::warn, shown,
            names + ": not an Instagram Login scope this command knows; check the spelling"};
  }
  return {"scopes", Status::ok, shown, {}};
}

// Graph API versions and how long Meta serves each: Meta's Graph API changelog, "Available
// Graph API Versions", as updated 2026-10-29 (v21.0 to v25.0 with its dates; the older ones
// with the dates it gave them). A version is served until about two years after the *next*
// one's release: v26.0's end follows from v27.0's release (2026-11-04), and the newest has
// none yet. Add a row with each release.
struct GraphVersion {
  std::string_view name;
  int major;
  std::string_view until;  // "" for the newest
  bool estimated;          // worked out by the rule, not published
};
constexpr std::string_view graph_versions_source = "Meta's Graph API changelog, 2026-10-29";
constexpr std::array<GraphVersion, 11> graph_versions = {{
    {"v17.0", 17, "2025-09-12", false},
    {"v18.0", 18, "2026-01-23", false},
    {"v19.0", 19, "2026-05-21", false},
    {"v20.0", 20, "2026-09-24", false},
    {"v21.0", 21, "2027-01-21", false},
    {"v22.0", 22, "2027-05-20", false},
    {"v23.0", 23, "2027-10-08", false},
    {"v24.0", 24, "2028-02-18", false},
    {"v25.0", 25, "2028-07-29", false},
    {"v26.0", 26, "2028-11-04", true},
    {"v27.0", 27, "", false},
}};

// "YYYY-MM-DD" at 00:00 UTC.
Clock::time_point utc_date(std::string_view date) {
  std::tm parts{};
  parts.tm_year = std::stoi(std::string(date.substr(0, 4))) - 1900;
  parts.tm_mon = std::stoi(std::string(date.substr(5, 2))) - 1;
  parts.tm_mday = std::stoi(std::string(date.substr(8, 2)));
  return Clock::from_time_t(timegm(&parts));
}

// The major number of "vN.0", or nullopt for anything else.
std::optional<int> graph_major(const std::string& version) {
  if (version.size() < 4 || version.size() > 6 || version[0] != 'v' ||
      version.compare(version.size() - 2, 2, ".0") != 0) {
    return std::nullopt;
  }
  const std::string digits = version.substr(1, version.size() - 3);
  if (!detail::is_decimal(digits)) return std::nullopt;
  return std::stoi(digits);
}

Check check_graph_version(const std::string& version, Clock::time_point now) {
  if (version.empty()) {
    return {"graph_version", Status::warn, "unversioned: the App Dashboard's version applies",
            "pin a version (Endpoints::graph_version) so that an upgrade is your decision"};
  }
  const std::optional<int> major = graph_major(version);
  if (!major) {
    return {"graph_version", Status::warn, text(version) + ": not a Graph API version (vN.0)",
            "Endpoints::graph_version takes the form v25.0"};
  }
  const std::string past_hint =
      "move to a newer version (Endpoints::graph_version, --graph-version) after reading "
      "Meta's changelog";
  if (*major < graph_versions.front().major) {
    return {"graph_version", Status::fail,
            version + ": older than " + std::string(graph_versions.front().name) +
                ", past its end of life",
            past_hint};
  }
  if (*major > graph_versions.back().major) {
    return {
        "graph_version",
        Status::ok,
        version + ": newer than this command's table (" + std::string(graph_versions_source) + ")",
        {}};
  }
  // One row for each major version from the first to the last.
  const GraphVersion& known =
      graph_versions.at(static_cast<std::size_t>(*major - graph_versions.front().major));
  if (known.until.empty()) {
    return {"graph_version",
            Status::ok,
            version + ", the newest in " + std::string(graph_versions_source) +
                ": served until about two years after the next release",
            {}};
  }
  const std::string found =
      version + ", available until " + (known.estimated ? "about " : "") + std::string(known.until);
  const Clock::time_point end = utc_date(known.until);
  if (now >= end)
    return {"graph_version", Status::fail, found + ": past its end of life", past_hint};
  if (end - now < std::chrono::hours(24 * 90)) {
    return {"graph_version", Status::warn, found + ": within 90 days of its end of life",
            "plan the move to a newer version now"};
  }
  return {"graph_version", Status::ok, found, {}};
}

std::string milliseconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", ms);
  return text;
}

Check check_connectivity(const AppConfig& app, const Connection& connection) {
  std::set<std::string> origins;
  for (const std::string* url :
       {&app.endpoints.authorize, &app.endpoints.token, &app.endpoints.graph}) {
    origins.insert(origin_of(*url));
  }
  std::string detail;
  std::string failed;
  std::string ca;
  for (const std::string& origin : origins) {
    const Probe result = probe(origin + "/", connection, ProbeKind::connect_only);
    if (!detail.empty()) detail += "; ";
    detail += text(origin) + ": ";
    if (!result.reached) {
      detail += "unreachable (" + text(result.error) + ")";
      failed += (failed.empty() ? "" : ", ") + text(origin);
      continue;
    }
    detail += "DNS " + milliseconds(result.dns_ms) + ", TCP " + milliseconds(result.connect_ms);
    detail += is_https(origin) ? ", TLS " + milliseconds(result.tls_ms) : ", no TLS (loopback)";
    if (!result.ca.empty()) ca = result.ca;
  }
  const std::string proxy = proxy_in_effect(app.endpoints.token);
  detail += "; CA store: " + (ca.empty() ? std::string("libcurl's default") : text(ca)) +
            "; proxy: " + proxy;
  if (!failed.empty()) {
    return {"connectivity", Status::fail, detail,
            "check DNS, the firewall, the proxy (https_proxy, no_proxy) and the CA store "
            "(--ca-file) for " +
                failed};
  }
  return {"connectivity", Status::ok, detail, {}};
}

std::optional<Clock::time_point> parse_http_date(const std::string& text) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (end == nullptr) return std::nullopt;
  return Clock::from_time_t(timegm(&parts));
}

// Any answer of the token host carries its Date.
Check check_clock(const AppConfig& app, const Connection& connection) {
  const Probe answer = probe(app.endpoints.token, connection, ProbeKind::get);
  if (!answer.reached) {
    return {"clock", Status::skip, "the token endpoint could not be reached", {}};
  }
  const std::optional<Clock::time_point> server = parse_http_date(answer.date);
  if (!server) {
    return {"clock",
            Status::skip,
            answer.date.empty() ? "the server sent no Date header"
                                : "the server's Date header is not an HTTP date",
            {}};
  }
  const auto skew =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - *server).count();
  const std::string found = std::to_string(skew) + " s against the server's Date";
  if (skew > 30 || skew < -30) {
    return {"clock", Status::warn, found,
            "synchronise this machine's clock (NTP): state lifetimes and token expiry depend "
            "on it"};
  }
  return {"clock", Status::ok, found, {}};
}

Check check_credentials(const AppConfig& app, const Connection& connection, bool have_secret) {
  if (!have_secret || app.client_id.empty()) {
    return {"credentials", Status::skip, "needs the client id and the client secret", {}};
  }
  const Result<TokenExchanger> exchanger = TokenExchanger::create(app, connection.client_options());
  if (!exchanger) {
    return {"credentials", Status::skip, text(exchanger.error().error_message()), {}};
  }
  // A code that cannot exist: the endpoint checks the app id and the secret before the code.
  const Result<AccessToken> answer = exchanger->exchange("AQD-doctor-" + generate_state());
  if (answer) {
    return {"credentials", Status::fail, "a code that cannot exist was accepted",
            "this endpoint is not Instagram's: check --endpoint-base"};
  }
  const OAuthException& error = answer.error();
  const std::string message = text(error.error_message());
  if (error.category() != ErrorCategory::api) {
    return {"credentials", Status::fail, std::string(to_string(error.category())) + ": " + message,
            "the token endpoint could not be asked; see connectivity"};
  }
  switch (detail::classify_api_error(error.error_message(), error.code(), error.error_subcode())) {
    case detail::KnownError::code_used:
      return {"credentials",
              Status::ok,
              "the token endpoint accepted the app id and the secret (it refused only the "
              "made-up code)",
              {}};
    case detail::KnownError::redirect_uri:
      return {"credentials", Status::fail, message, "see redirect_uri"};
    default:
      return {"credentials", Status::fail, message, error.hint()};
  }
}

// The authorization URL fetched without following: an error there names the app or the
// redirect URI before a user meets it.
Check check_authorize(const AppConfig& app, const Connection& connection,
                      const std::vector<std::string>& scopes) {
  if (app.client_id.empty() || app.redirect_uri.empty()) {
    return {"authorize", Status::skip, "needs the client id and the redirect URI", {}};
  }
  AuthorizeUrlBuilder builder(app);
  for (const std::string& scope : scopes) builder.scope(scope);
  const Result<std::string> url = builder.state(generate_state()).build();
  if (!url) return {"authorize", Status::skip, text(url.error().error_message()), {}};
  const Probe fetched = probe(*url, connection, ProbeKind::get);
  if (!fetched.reached) {
    return {"authorize", Status::fail, "unreachable (" + text(fetched.error) + ")",
            "see connectivity"};
  }
  const std::string status = "HTTP " + std::to_string(fetched.status);
  if (fetched.status >= 400) {
    std::string said;
    const nlohmann::json body = nlohmann::json::parse(fetched.body, nullptr, false);
    if (body.is_object() && body.contains("error_message") && body["error_message"].is_string()) {
      said = body["error_message"].get<std::string>();
    } else {
      said = fetched.body.substr(0, 120);
    }
    std::string hint = "the app id or the redirect URI is not what the app is registered with";
    switch (detail::classify_api_error(said, 0, 0)) {
      case detail::KnownError::redirect_uri:
        hint = "register the redirect URI exactly (see redirect_uri)";
        break;
      case detail::KnownError::wrong_app:
        hint = detail::known_error_remedy(detail::KnownError::wrong_app);
        break;
      default:
        break;
    }
    return {"authorize", Status::fail, status + ": " + text(said), hint};
  }
  return {"authorize",
          Status::ok,
          status +
              ": the authorization window accepts this client id "
              "and redirect URI",
          {}};
}

void print(const std::vector<Check>& checks, bool json) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const Check& check : checks) {
      list.push_back({{"name", check.name},
                      {"status", status_name(check.status)},
                      {"detail", check.detail},
                      {"hint", check.hint}});
    }
    std::cout << nlohmann::json{{"checks", list}}.dump() << '\n';
    return;
  }
  for (const Check& check : checks) {
    std::printf("%-4s  %-13s %s\n", std::string(status_name(check.status)).c_str(),
                check.name.c_str(), check.detail.c_str());
    if (!check.hint.empty()) {
      std::printf("      hint: %s\n", check.hint.c_str());
    }
  }
  std::fflush(stdout);
}

int run_doctor(const DoctorArgs& args) {
  const std::optional<std::string> secret =
      read_secret("INSTAGRAM_CLIENT_SECRET", args.connection.client_secret_file);
  AppConfig app = args.connection.app_config(secret.value_or(""));
  if (!args.graph_version.empty()) app.endpoints.graph_version = args.graph_version;
  std::vector<std::string> scopes = split_scopes(args.scopes);
  if (scopes.empty()) scopes.push_back(app.endpoints.required_scope);

  std::vector<Check> checks;
  checks.push_back(check_client_id(app.client_id));
  checks.push_back(check_client_secret(secret));
  checks.push_back(check_redirect_uri(app.redirect_uri));
  checks.push_back(check_scopes(scopes, args.connection.api == "basic-display"));
  checks.push_back(check_graph_version(app.endpoints.graph_version, Clock::now()));
  checks.push_back(check_connectivity(app, args.connection));
  checks.push_back(check_clock(app, args.connection));
  checks.push_back(check_credentials(app, args.connection, secret.has_value()));
  checks.push_back(check_authorize(app, args.connection, scopes));
  checks.push_back(check_state_key());
  checks.push_back(check_webhook_verify_token());
#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
  if (!args.database.empty()) {
    for (Check& check : check_database(args.database, args.keys_file)) {
      checks.push_back(std::move(check));
    }
  }
#endif
  print(checks, args.json);
  for (const Check& check : checks) {
    if (check.status == Status::fail) return 1;
  }
  return success;
}

}  // namespace

void add_doctor(CLI::App& app, int& result) {
  auto args = std::make_shared<DoctorArgs>();
  CLI::App* command = app.add_subcommand(
      "doctor", "check an app's Instagram setup (ids, secret, redirect URI, scopes, network)");
  add_connection(*command, args->connection, true, false);
  command->add_option("--scope", args->scopes,
                      "a permission to ask for (repeatable, or comma-separated)");
  command->add_option("--graph-version", args->graph_version,
                      "the Graph API version the app pins (default: the library's)");
#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
  command->add_option("--database", args->database,
                      "libpq conninfo of the token store: check it too (the keys open every "
                      "row, rows per key, tokens that need a look)");
  command->add_option("--keys-file", args->keys_file,
                      "file holding the token keys, comma-separated (default: "
                      "$INSTAGRAM_TOKEN_KEYS)");
#endif
  command->add_flag("--json", args->json, "print {\"checks\":[…]} as JSON");
  command->callback([args, &result] {
    json_errors = args->json;
    result = run_doctor(*args);
  });
}

}  // namespace instagram::oauth::cli
