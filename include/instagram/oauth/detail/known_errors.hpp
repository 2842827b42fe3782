// Instagram's errors whose cause is known, classified in one place: OAuthException::hint()
// reads the remedy from here, and the command's doctor its verdicts. Header-only, so that the
// command shares it with the library in a shared build too.
#pragma once

#include <string_view>

namespace instagram::oauth::detail {

/// An API error (ErrorCategory::api) whose cause is known.
enum class KnownError {
  none,
  wrong_app,              ///< the Meta app's id or secret instead of the Instagram app's
  client_secret,          ///< a secret that is not this app id's
  developer_role,         ///< an account that is not a tester of an app in development mode
  basic_display_retired,  ///< a Basic Display scope or GET, shut on 2024-12-04
  invalid_scope,          ///< a scope Instagram Login refuses
  redirect_uri,           ///< a redirect_uri other than the registered one
  code_used,              ///< a code sent twice, or after its hour
  token_setup_mixed,      ///< a Facebook Login token at graph.instagram.com, or the reverse
  token_expired,          ///< a token past its end
  password_changed,       ///< a token revoked by a password change
};

/// One way Instagram says a known error: its code (0: any), a part of its message, or its
/// subcode (0: none).
struct KnownErrorRule {
  KnownError error;
  int code;
  std::string_view message_part;
  int subcode;
};

/// In the order they are tried: the first that matches classifies.
inline constexpr KnownErrorRule known_error_rules[] = {
    {KnownError::wrong_app, 0, "Invalid platform app", 0},
    {KnownError::client_secret, 0, "Error validating client secret", 0},
    {KnownError::developer_role, 0, "Insufficient developer role", 0},
    {KnownError::basic_display_retired, 0, "user_profile", 0},
    {KnownError::basic_display_retired, 0, "user_media", 0},
    {KnownError::basic_display_retired, 0, "Unsupported request - method type", 0},
    {KnownError::invalid_scope, 0, "Invalid scope", 0},
    {KnownError::redirect_uri, 0, "redirect_uri", 0},
    {KnownError::code_used, 0, "Matching code was not found or was already used", 0},
    {KnownError::token_setup_mixed, 190, "Cannot parse access token", 0},
    {KnownError::token_expired, 190, "expired", 463},
    {KnownError::password_changed, 190, "changed their password", 460},
};

/// The known error an API answer is (its message, code and subcode), or KnownError::none.
/// Thread-safe.
inline KnownError classify_api_error(std::string_view message, int code, int subcode) noexcept {
  for (const KnownErrorRule& rule : known_error_rules) {
    if (rule.code != 0 && rule.code != code) continue;
    if (message.find(rule.message_part) != std::string_view::npos ||
        (rule.subcode != 0 && rule.subcode == subcode)) {
      return rule.error;
    }
  }
  return KnownError::none;
}

/// What to do about a known error; empty for KnownError::none. Thread-safe.
inline std::string_view known_error_remedy(KnownError error) noexcept {
  switch (error) {
    case KnownError::none:
      return {};
    case KnownError::wrong_app:
      return "use the Instagram app ID and secret from \"API setup with Instagram login\" in the "
             "App Dashboard, not the Meta app's ID and secret";
    case KnownError::client_secret:
      return "the client secret does not belong to this app id: copy the Instagram app secret "
             "again";
    case KnownError::developer_role:
      return "while the app is in development mode, the Instagram account must be an accepted "
             "tester of it (App roles > Roles)";
    case KnownError::basic_display_retired:
      return "Basic Display was shut on 2024-12-04: use Instagram Login (Endpoints{}, the "
             "default) and instagram_business_* scopes";
    case KnownError::invalid_scope:
      return "request instagram_business_* scopes (instagram_business_basic, ...): the Basic "
             "Display scopes and the pre-2025 business_* scopes are refused";
    case KnownError::redirect_uri:
      return "the redirect_uri must be identical in the authorization URL, the token request "
             "and the app's settings: check a trailing slash, www and any extra query";
    case KnownError::code_used:
      return "a code works once and for one hour; a second callback (a reload, a double "
             "submit) is the usual cause: start a new login";
    case KnownError::token_setup_mixed:
      return "the token is not one this host reads: Instagram Login tokens (IG...) go to "
             "graph.instagram.com, Facebook Login tokens (EAA...) to graph.facebook.com; this "
             "library speaks Instagram Login, and keys users on the user_id of the code "
             "exchange";
    case KnownError::token_expired:
      return "the token expired: refresh long-lived tokens before their 60 days end "
             "(TokenKeeper does); now only a new login helps";
    case KnownError::password_changed:
      return "the user changed their password, which revoked the token: only a new login helps";
  }
  return {};
}

}  // namespace instagram::oauth::detail
