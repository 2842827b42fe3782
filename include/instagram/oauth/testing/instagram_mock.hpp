/// @file
/// Component InstagramOAuth::Lookalike: an Instagram look-alike on 127.0.0.1 for your tests.
#pragma once

#include <instagram/oauth/config.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/meta_usage.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace instagram::oauth::testing {

/// A failure the look-alike serves instead of its answer (InstagramMock::set_fault).
enum class Fault {
  none,               ///< answer as Instagram does
  html_502,           ///< a proxy's HTML error page
  stall,              ///< no answer until MockOptions::stall has passed
  truncated_body,     ///< Content-Length promises more than is sent
  huge_chunked_body,  ///< 10 MB of chunked JSON-looking bytes
  redirect_307,       ///< to another port, whose hits are counted
  graph_error,        ///< graph.instagram.com's {"error":{…}} shape
  rfc6749_error,      ///< {"error","error_description"}
  not_json_200,       ///< 200 text/plain
  wrong_shape_200,    ///< 200 JSON without access_token
  empty_body,         ///< 200 with nothing in it
  api_error,          ///< the error given to fail_with_api_error(), in the endpoint's shape
  gzip_json,          ///< a token answer gzip-compressed, Content-Encoding: gzip, unasked
  drip,               ///< one byte a second, for as long as MockOptions::stall
};

/// The token endpoint's success shape (Meta's pages show several).
enum class SuccessShape {
  flat,              ///< {"access_token","user_id"} as the document shows
  data,              ///< {"data":[{"access_token","user_id","permissions":"a,b"}]}
  string_user_id,    ///< {"access_token","user_id":"…"}
  permissions_array  ///< {"access_token","user_id","permissions":["a","b"]}
};

/// How /me answers: flat as graph.instagram.com does, wrapped in data[] as Meta's sample
/// shows, or flat with the counts as digit strings.
enum class ProfileShape { flat, data, string_counts };

/// What the user does in the authorization window: Allow or Cancel.
enum class UserDecision { allow, deny };

/// The look-alike's app, user and behaviour; the defaults are the protocol document's.
struct MockOptions {
  bool tls = false;  ///< HTTPS with a throwaway CA (ca_file()) for 127.0.0.1 and localhost
  int port = 0;      ///< 0: any free port
  /// The API it plays: its required scope and graph version (any version is served).
  Endpoints api = Endpoints::instagram_login();
  std::string client_id = "990602627938098";                              ///< the app it accepts
  std::string client_secret = "mock-client-secret-eb8c7";                 ///< the app's secret
  std::string redirect_uri = "https://socialsizzle.herokuapp.com/auth/";  ///< compared exactly
  std::string user_id = "17841405793187218";        ///< the professional account's id
  std::string app_scoped_id = "27640875392278831";  ///< /me's id
  std::string username = "socialsizzle";            ///< /me's username
  /// What a token answer grants, comma-separated.
  std::string permissions = "instagram_business_basic,instagram_business_content_publish";
  SuccessShape shape = SuccessShape::flat;          ///< the token endpoint's success shape
  ProfileShape profile_shape = ProfileShape::flat;  ///< /me's shape
  std::chrono::milliseconds stall{3000};            ///< how long Fault::stall and drip last
  std::chrono::milliseconds latency{0};             ///< every answer waits this long
  std::size_t threads = 16;                     ///< requests served at once (latency needs more)
  std::chrono::seconds keep_alive_timeout{30};  ///< idle connections closed after this
  std::chrono::seconds date_offset{0};          ///< every answer's Date header, off the clock
  std::string certificate_directory;            ///< empty: a fresh temporary directory
  /// The names the throwaway certificate is valid for.
  std::vector<std::string> certificate_names = {"localhost", "127.0.0.1", "::1"};
};

/// An Instagram look-alike on 127.0.0.1 (cpp-httplib), over HTTP or HTTPS: the
/// authorization window, the token endpoint and the graph endpoints, enforcing the protocol
/// document (required fields, client secret, grant_type, the exact redirect_uri, single-use
/// codes that expire after an hour) and serving the faults real networks do. Point your code
/// at it with app_config() and client_options(); `instagram-oauth mock-server` runs the same
/// server as a process. Thread-safe: every member may be called while the server serves.
///
/// What each endpoint answers (an error is Instagram's `{"error_type","code","error_message"}`
/// on the token endpoints, graph's `{"error":{…}}` on the graph ones, unless a Fault is set):
/// - `GET /oauth/authorize?client_id&redirect_uri&response_type=code&scope&state`: the client
///   id, the exact MockOptions::redirect_uri (set it to your service's callback before the
///   look-alike starts) and the API's required scope are checked first ("Invalid platform
///   app", "Invalid redirect_uri", "Invalid scope field(s): …"). A browser (`Accept:
///   text/html`) gets a consent page with "Allow" (`#allow`) and "Cancel" (`#deny`) buttons;
///   any other client gets the set UserDecision at once. Allowed: 302 to
///   `redirect_uri?code=…&state=…#_` (a new single-use code, and the `#_` Instagram appends);
///   denied: 302 to `redirect_uri?error=access_denied&error_reason=user_denied&
///   error_description=The+user+denied+your+request&state=…`.
/// - `POST /oauth/access_token` (urlencoded or multipart): the short-lived token and the
///   user id, in MockOptions::shape. "Matching code was not found or was already used" for a
///   code used twice, "This authorization code has expired" an hour after it was issued.
/// - `GET /access_token?grant_type=ig_exchange_token&client_secret&access_token`: a long-lived
///   token, `expires_in` 60 days; `GET /refresh_access_token?grant_type=ig_refresh_token&
///   access_token`: a fresh one, once the token is 24 hours old and until its 60 days end
///   (190, subcode 463, after).
/// - `GET /me` and `GET /vNN.N/me?fields=…&access_token`: the profile (MockOptions::user_id,
///   app_scoped_id, username), in MockOptions::profile_shape.
///
/// Its clock starts at the real time and moves only with advance_clock(): codes, the 24-hour
/// minimum age and the 60 days are judged by it. Every answer carries a Date header
/// (MockOptions::date_offset skews it, for a clock check).
///
/// @code
/// testing::InstagramMock instagram;  // a free port, plain http
/// TokenExchanger exchanger =
///     TokenExchanger::create(instagram.app_config(), instagram.client_options()).value();
/// Result<AccessToken> token = exchanger.exchange(instagram.issue_code());
/// instagram.set_fault(testing::Fault::html_502);  // the next answers: a proxy's error page
/// @endcode
///
/// A browser-style test of your callback, with no browser: follow the window's redirect as a
/// browser would, and hand your service the URL it lands on.
///
/// @code
/// testing::MockOptions options;
/// options.redirect_uri = "http://127.0.0.1:8080/callback";  // your service's, before it starts
/// testing::InstagramMock instagram(options);
/// const AppConfig app = instagram.app_config();
/// std::string window = AuthorizeUrlBuilder(app)
///                          .scope(app.endpoints.required_scope)
///                          .state("state-from-your-service")
///                          .build()
///                          .value();
/// // GET `window` without following redirects: its Location header is the callback URL,
/// // "http://127.0.0.1:8080/callback?code=…&state=state-from-your-service#_"; after
/// // instagram.set_user_decision(testing::UserDecision::deny), the error triple instead.
/// @endcode
class InstagramMock {
 public:
  /// Serving once constructed; throws std::runtime_error when it cannot listen.
  explicit InstagramMock(MockOptions options = {});
  ~InstagramMock();
  InstagramMock(const InstagramMock&) = delete;
  InstagramMock& operator=(const InstagramMock&) = delete;

  std::string base_url() const;          ///< "http://127.0.0.1:PORT" or "https://…"
  int port() const;                      ///< the port it listens on
  Endpoints endpoints() const;           ///< authorize, token and graph on this server
  AppConfig app_config() const;          ///< this server's app: id, secret, redirect_uri, endpoints
  const std::string& ca_file() const;    ///< the CA to trust when tls; empty otherwise
  ClientOptions client_options() const;  ///< what a client needs to reach it (CA, plain http)

  /// A fresh code for the configured redirect_uri, as if a user had just allowed the app.
  std::string issue_code();
  /// The X-Hub-Signature-256 value Meta sends with a webhook event of this body, signed with
  /// this app's client secret: "sha256=" and lowercase hex.
  std::string webhook_signature(const std::string& body) const;
  void set_fault(Fault fault);                          ///< from now on (Fault::none: none)
  void set_shape(SuccessShape shape);                   ///< as MockOptions::shape, from now on
  void set_user_decision(UserDecision decision);        ///< what the window's user does next
  void set_latency(std::chrono::milliseconds latency);  ///< as MockOptions::latency, from now on
  /// Codes expire after an hour of this clock; long-lived tokens after 60 days, and they
  /// can be refreshed only once they are 24 hours old.
  void advance_clock(std::chrono::seconds by);
  /// From now on, every graph answer (long-lived, refresh, /me; errors too) carries Meta's
  /// usage headers with these figures: X-App-Usage (call_count, total_cputime, total_time)
  /// and X-Business-Use-Case-Usage (the same and estimated_time_to_regain_access, for one
  /// business). None: no headers.
  void set_meta_usage(std::optional<MetaUsage> usage);
  /// Meta's throttling for the next `answers` graph requests: code 4 "(#4) Application
  /// request limit reached", with the usage headers at call_count 100 and
  /// estimated_time_to_regain_access `regain_access`; answered as usual after them.
  void throttle(std::chrono::minutes regain_access, std::size_t answers);
  /// From now on (until set_fault), every endpoint answers this error in its own shape:
  /// "Insufficient developer role", "Invalid scope", …
  void fail_with_api_error(std::string message, int code = 400, int subcode = 0);

  std::size_t connections() const;                         ///< distinct client connections seen
  std::size_t requests() const;                            ///< requests received
  std::size_t refreshes() const;                           ///< refresh requests received
  std::size_t redirect_target_hits() const;                ///< requests that followed redirect_307
  std::string last_header(const std::string& name) const;  ///< of the last token request

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instagram::oauth::testing
