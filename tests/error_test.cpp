// OAuthException (error.hpp): categories, Instagram's fields, the one-line what(), hint().
#include "catch.hpp"

#include <instagram/oauth/error.hpp>

#include <string>
#include <type_traits>

using namespace instagram::oauth;

static_assert(std::is_nothrow_copy_constructible_v<OAuthException>);
static_assert(std::is_nothrow_move_constructible_v<OAuthException>);
static_assert(std::is_base_of_v<std::runtime_error, OAuthException>);

TEST_CASE("to_string names every category", "[error]") {
  CHECK(to_string(ErrorCategory::api) == "api");
  CHECK(to_string(ErrorCategory::authorization_denied) == "authorization_denied");
  CHECK(to_string(ErrorCategory::invalid_redirect) == "invalid_redirect");
  CHECK(to_string(ErrorCategory::state_mismatch) == "state_mismatch");
  CHECK(to_string(ErrorCategory::invalid_argument) == "invalid_argument");
  CHECK(to_string(ErrorCategory::transport) == "transport");
  CHECK(to_string(ErrorCategory::timeout) == "timeout");
  CHECK(to_string(ErrorCategory::invalid_response) == "invalid_response");
  CHECK(to_string(ErrorCategory::system) == "system");
}

TEST_CASE("a local error carries its category and sentence", "[error]") {
  const OAuthException error(ErrorCategory::invalid_argument, "client_id is empty");
  CHECK(error.category() == ErrorCategory::invalid_argument);
  CHECK(error.error_message() == "client_id is empty");
  CHECK(error.error_type().empty());
  CHECK(error.code() == 0);
  CHECK(error.http_status() == 0);
  CHECK(error.body_excerpt().empty());
  CHECK(std::string(error.what()) == "invalid_argument: client_id is empty");
}

TEST_CASE("an API error shows Instagram's fields in one line", "[error]") {
  ErrorDetails details;
  details.category = ErrorCategory::api;
  details.error_type = "OAuthException";
  details.code = 400;
  details.error_message = "Matching code was not found or was already used";
  details.http_status = 400;
  const OAuthException error(details);
  CHECK(error.error_type() == "OAuthException");
  CHECK(error.code() == 400);
  CHECK(error.http_status() == 400);
  CHECK(
      std::string(error.what()) ==
      "api: Matching code was not found or was already used (OAuthException, code 400, HTTP 400)");
}

TEST_CASE("a graph error keeps subcode and fbtrace_id, what() stays one line", "[error]") {
  ErrorDetails details;
  details.category = ErrorCategory::api;
  details.error_type = "IGApiException";
  details.code = 190;
  details.error_subcode = 460;
  details.fbtrace_id = "AbCdEf";
  details.error_message = "line one\nline two";
  const OAuthException error(details);
  CHECK(error.error_subcode() == 460);
  CHECK(error.fbtrace_id() == "AbCdEf");
  CHECK(error.error_message() == "line one\nline two");
  CHECK(std::string(error.what()) ==
        "api: line one line two (IGApiException, code 190, subcode 460)");
}

TEST_CASE("what() replaces what a terminal would obey: C0, DEL, C1, separators, bidi",
          "[error][security]") {
  // A server's text reorders or ends a line with U+202E, U+2066, U+2028 or a C1 CSI (U+009B).
  ErrorDetails details;
  details.category = ErrorCategory::api;
  details.error_message =
      "Invalid \xE2\x80\xAEtoken\xE2\x81\xA6 x\xE2\x80\xA8y\xC2\x9B"
      "31m\x7F\x1B]0;t\x07 caf\xC3\xA9 \xE2\x80\x94";
  const OAuthException error(details);
  CHECK(std::string(error.what()) ==
        "api: Invalid  token  x y 31m  ]0;t  caf\xC3\xA9 \xE2\x80\x94");
}

TEST_CASE("a denial shows the decoded triple", "[error]") {
  ErrorDetails details;
  details.category = ErrorCategory::authorization_denied;
  details.error_type = "access_denied";
  details.error_reason = "user_denied";
  details.error_message = "The user denied your request";
  const OAuthException error(details);
  CHECK(std::string(error.what()) ==
        "authorization_denied: The user denied your request (access_denied, user_denied)");
}

TEST_CASE("copies share the same details", "[error]") {
  const OAuthException error(ErrorCategory::timeout, "the request timed out");
  const OAuthException copy = error;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(&copy.details() == &error.details());
  CHECK(std::string(copy.what()) == "timeout: the request timed out");
}

TEST_CASE("hint() names the remedy for Meta's known errors, and nothing for others", "[error]") {
  const auto hint_for = [](const std::string& message, int code = 400, int subcode = 0) {
    ErrorDetails details;
    details.category = ErrorCategory::api;
    details.error_message = message;
    details.code = code;
    details.error_subcode = subcode;
    return OAuthException(details).hint();
  };
  CHECK(hint_for("Invalid platform app") ==
        "use the Instagram app ID and secret from \"API setup with Instagram login\" in the App "
        "Dashboard, not the Meta app's ID and secret");
  CHECK(hint_for("Insufficient developer role") ==
        "while the app is in development mode, the Instagram account must be an accepted tester "
        "of it (App roles > Roles)");
  const std::string basic_display_hint =
      "Basic Display was shut on 2024-12-04: use Instagram Login (Endpoints{}, the default) and "
      "instagram_business_* scopes";
  CHECK(hint_for("Invalid scope: user_profile") == basic_display_hint);
  CHECK(hint_for("Invalid scope: user_profile,user_media") == basic_display_hint);
  CHECK(hint_for("Unsupported request - method type: get") == basic_display_hint);
  CHECK(hint_for("Invalid scope: business_basic") ==
        "request instagram_business_* scopes (instagram_business_basic, ...): the Basic Display "
        "scopes and the pre-2025 business_* scopes are refused");
  const std::string redirect_uri_hint =
      "the redirect_uri must be identical in the authorization URL, the token request and the "
      "app's settings: check a trailing slash, www and any extra query";
  CHECK(hint_for("Error validating verification code. Please make sure your redirect_uri is "
                 "identical to the one you used in the OAuth dialog request") == redirect_uri_hint);
  CHECK(hint_for("Invalid redirect_uri") == redirect_uri_hint);
  CHECK(hint_for("Matching code was not found or was already used") ==
        "a code works once and for one hour; a second callback (a reload, a double submit) is "
        "the usual cause: start a new login");
  CHECK(hint_for("Error validating access token: Session has expired on Sunday, 29-Nov-26 "
                 "04:00:00 PST.",
                 190, 463) ==
        "the token expired: refresh long-lived tokens before their 60 days end (TokenKeeper "
        "does); now only a new login helps");
  CHECK(hint_for("Error validating access token: The session has been invalidated because the "
                 "user changed their password or Facebook has changed the session for security "
                 "reasons.",
                 190, 460) ==
        "the user changed their password, which revoked the token: only a new login helps");
  CHECK(hint_for("Invalid OAuth access token - Cannot parse access token", 190) ==
        "the token is not one this host reads: Instagram Login tokens (IG...) go to "
        "graph.instagram.com, Facebook Login tokens (EAA...) to graph.facebook.com; this library "
        "speaks Instagram Login, and keys users on the user_id of the code exchange");
  CHECK(hint_for("Error validating client secret.", 101) ==
        "the client secret does not belong to this app id: copy the Instagram app secret again");
  // The 190s are read only with code 190: another code saying "expired" is not a token's end.
  CHECK(hint_for("Error validating access token: Session has expired", 190) ==
        hint_for("anything", 190, 463));
  CHECK(hint_for("The code has expired", 100).empty());
  CHECK(hint_for("Unsupported get request.", 100).empty());
  CHECK(OAuthException(ErrorCategory::transport, "Invalid platform app").hint().empty());
}
