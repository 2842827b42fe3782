/// @file
/// Reading the redirect: the code (Instagram's trailing "#_" dropped) or the denial.
/// Header-only.
#pragma once

#include <instagram/oauth/authorization_code.hpp>
#include <instagram/oauth/config.hpp>
#include <instagram/oauth/detail/checks.hpp>
#include <instagram/oauth/detail/constant_time.hpp>
#include <instagram/oauth/detail/url.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/signed_state.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace instagram::oauth {

/// A callback whose state StateSigner issued: the code, and where to send the user after.
struct SignedRedirect {
  AuthorizationCode code;  ///< the code, its state verified
  std::string return_to;   ///< as issued: a relative path, or empty
};

/// One per app: parse() is const and thread-safe; expected_state() is a setter (not
/// thread-safe) for a parser made per request. Prefer parse(redirect, expected_state), or
/// with signed state (fleets) parse(redirect, signer, browser_binding).
///
/// @code
/// const RedirectParser parser(app);
/// Result<AuthorizationCode> code = parser.parse(request_url, session.state);
/// if (!code) return show(code.error());  // denied, forged state, no code, …
/// Result<AccessToken> token = exchanger.exchange(*code);
/// @endcode
class RedirectParser {
 public:
  /// The redirect's base (scheme, host, port, path) is checked against config.redirect_uri.
  explicit RedirectParser(const AppConfig& config)
      : redirect_uri_(config.redirect_uri),
        config_problem_(detail::check_url("redirect_uri", config.redirect_uri)) {
    if (!config_problem_.empty()) return;
    // The base is split once here, so that parse() compares without splitting it again.
    const detail::UrlParts expected = *detail::split_url(redirect_uri_);
    expected_scheme_ = expected.scheme;
    expected_host_ = expected.host;
    expected_port_ = expected.port;
    expected_path_ = expected.path.empty() ? std::string_view("/") : expected.path;
  }

  /// When set, a redirect without this state, or with another, is state_mismatch. An empty
  /// state is remembered as such: parse() then fails with invalid_argument, never a match.
  RedirectParser& expected_state(std::string_view state) {
    expected_state_.emplace(state);
    return *this;
  }

  /// A full URL, "?query" or a bare query; surrounding whitespace ignored. Checks, in
  /// order: duplicate code/state/error, the base, the state set with expected_state() (if
  /// any), a denial, the code.
  /// Errors: invalid_argument (redirect_uri unusable, or an empty expected state),
  /// invalid_redirect, state_mismatch, authorization_denied. Thread-safe (const).
  Result<AuthorizationCode> parse(std::string_view redirect) const {
    if (expected_state_) return parse(redirect, *expected_state_);
    return parse_checked(redirect,
                         [](const std::optional<std::string>&) -> std::optional<OAuthException> {
                           return std::nullopt;
                         });
  }

  /// As parse(redirect), with the state this request must carry: one parser per app serves
  /// every request and thread. An empty expected_state is invalid_argument ("expected state
  /// is empty"): a missing cookie or session value must never match a redirect's empty state.
  Result<AuthorizationCode> parse(std::string_view redirect,
                                  std::string_view expected_state) const {
    if (expected_state.empty()) {
      return fail(ErrorCategory::invalid_argument,
                  "expected state is empty: pass the state sent with this user's authorization "
                  "request");
    }
    return parse_checked(
        redirect,
        [expected_state](const std::optional<std::string>& state) -> std::optional<OAuthException> {
          if (!state) {
            return OAuthException(ErrorCategory::state_mismatch,
                                  "the redirect carries no state, but one was expected");
          }
          if (!detail::constant_time_equals(expected_state, *state)) {
            return OAuthException(ErrorCategory::state_mismatch,
                                  "the redirect's state does not match the expected state");
          }
          return std::nullopt;
        });
  }

  /// The callback of a login whose state StateSigner issued: the redirect read as above, its
  /// state verified by signature and `browser_binding` (the value in the browser's cookie)
  /// in the same place of the order, and the return_to the state carries. Errors: as
  /// parse(redirect, expected_state), and StateSigner::verify's (state_mismatch saying
  /// which: forged, expired, issued to another browser). Thread-safe.
  Result<SignedRedirect> parse(std::string_view redirect, const StateSigner& signer,
                               std::string_view browser_binding) const {
    std::string return_to;
    Result<AuthorizationCode> code = parse_checked(
        redirect, [&](const std::optional<std::string>& state) -> std::optional<OAuthException> {
          if (!state) {
            return OAuthException(ErrorCategory::state_mismatch,
                                  "the redirect carries no state, but one was expected");
          }
          Result<std::string> verified = signer.verify(*state, browser_binding);
          if (!verified) return verified.error();
          return_to = std::move(*verified);
          return std::nullopt;
        });
    if (!code) return code.error();
    return SignedRedirect{std::move(*code), std::move(return_to)};
  }

 private:
  /// `check_state` sees the decoded state (or none) after the base and before the denial:
  /// an error from it ends the parse.
  template <class StateCheck>
  Result<AuthorizationCode> parse_checked(std::string_view redirect,
                                          StateCheck&& check_state) const {
    if (!config_problem_.empty()) return fail(ErrorCategory::invalid_argument, config_problem_);
    redirect = trim(redirect);
    if (redirect.empty()) return fail(ErrorCategory::invalid_redirect, "the redirect is empty");
    redirect = redirect.substr(0, redirect.find('#'));  // the fragment, Instagram's "#_" among it
    for (const char c : redirect) {
      if (detail::is_control(c)) {
        return fail(ErrorCategory::invalid_redirect, "the redirect contains a control character");
      }
    }

    std::optional<detail::UrlParts> base;
    std::string_view query = redirect;
    if (!detail::absolute_url_scheme(redirect).empty()) {
      base = detail::split_url(redirect);
      if (!base) return fail(ErrorCategory::invalid_redirect, "the redirect is not a valid URL");
      query = base->query.value_or(std::string_view{});
    } else if (looks_like_a_url(redirect)) {
      // Browsers send "https:evil.example/…", "//evil.example/…" or "https:\\evil…" to
      // another host: never read such a thing as a bare query.
      return fail(ErrorCategory::invalid_redirect,
                  "the redirect is not an absolute URL of redirect_uri (a scheme without '//', "
                  "a leading '//' or a backslash)");
    } else if (redirect.front() == '?') {
      query.remove_prefix(1);
    }

    Params params;
    bool duplicated = false;
    detail::for_each_query_param(query, [&](std::string_view name, std::string_view value) {
      if (!duplicated) duplicated = !params.take(name, value);
    });
    if (duplicated) {
      return fail(
          ErrorCategory::invalid_redirect,
          "the redirect has more than one '" + std::string(params.duplicate) + "' parameter");
    }
    if (base) {
      if (std::string problem = base_mismatch(*base, redirect); !problem.empty()) {
        return fail(ErrorCategory::invalid_redirect, std::move(problem));
      }
    }
    std::optional<std::string> state;
    if (params.state) {
      state = detail::form_decode(*params.state);
      if (has_control(*state)) {
        return fail(ErrorCategory::invalid_redirect,
                    "the redirect's state contains a control character");
      }
    }
    if (std::optional<OAuthException> problem = check_state(state)) return std::move(*problem);
    if (params.error) return denial(params);
    if (!params.code) {
      return fail(ErrorCategory::invalid_redirect, "the redirect has neither a code nor an error");
    }
    if (params.code->empty())
      return fail(ErrorCategory::invalid_redirect, "the redirect's code is empty");
    std::string code = detail::form_decode(*params.code);
    // A decoded %0A or %00 would reach logs, headers and terminals.
    if (has_control(code)) {
      return fail(ErrorCategory::invalid_redirect,
                  "the redirect's code contains a control character");
    }
    return AuthorizationCode{std::move(code), std::move(state)};
  }

  /// The raw values of the parameters the parser reads; the first duplicate stops it.
  struct Params {
    std::optional<std::string_view> code, state, error, error_reason, error_description;
    std::string_view duplicate;

    bool take(std::string_view name, std::string_view value) {
      return set(name, value, "code", code) && set(name, value, "state", state) &&
             set(name, value, "error", error) && set(name, value, "error_reason", error_reason) &&
             set(name, value, "error_description", error_description);
    }

   private:
    bool set(std::string_view name, std::string_view value, std::string_view wanted,
             std::optional<std::string_view>& slot) {
      if (!detail::form_name_equals(name, wanted)) return true;
      if (slot) {
        // The triple's reason and description are informative; repeats of them are harmless.
        if (wanted == "error_reason" || wanted == "error_description") return true;
        duplicate = wanted;
        return false;
      }
      slot = value;
      return true;
    }
  };

  static Result<AuthorizationCode> fail(ErrorCategory category, std::string message) {
    return OAuthException(category, std::move(message));
  }

  static Result<AuthorizationCode> denial(const Params& params) {
    ErrorDetails details;
    details.category = ErrorCategory::authorization_denied;
    details.error_type = detail::form_decode(*params.error);
    if (params.error_reason) details.error_reason = detail::form_decode(*params.error_reason);
    if (params.error_description)
      details.error_message = detail::form_decode(*params.error_description);
    if (details.error_message.empty()) details.error_message = "the user did not authorize the app";
    return OAuthException(std::move(details));
  }

  static bool has_control(std::string_view text) noexcept {
    for (const char c : text) {
      if (detail::is_control(c)) return true;
    }
    return false;
  }

  /// A scheme before the query ("https:…", "javascript:…"), a leading "//", or a backslash
  /// before the query: a URL, though without "://".
  static bool looks_like_a_url(std::string_view redirect) noexcept {
    const std::string_view before_query = redirect.substr(0, redirect.find('?'));
    if (before_query.find('\\') != std::string_view::npos) return true;
    if (before_query.substr(0, 2) == "//") return true;
    const std::size_t colon = before_query.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view scheme = before_query.substr(0, colon);
    if (scheme.find_first_of("&=") != std::string_view::npos) return false;  // a bare query
    const char first = scheme.front();
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return false;
    for (const char c : scheme) {
      if (!detail::is_scheme_char(c)) return false;
    }
    return true;
  }

  static std::string_view trim(std::string_view text) noexcept {
    constexpr std::string_view whitespace = " \t\n\v\f\r";
    const std::size_t first = text.find_first_not_of(whitespace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(whitespace) - first + 1);
  }

  /// Why the redirect's base differs from redirect_uri, or empty when it does not.
  std::string base_mismatch(const detail::UrlParts& actual, std::string_view redirect) const {
    const std::string_view actual_path = actual.path.empty() ? std::string_view("/") : actual.path;
    if (detail::iequals(actual.scheme, expected_scheme_) &&
        detail::iequals(actual.host, expected_host_) && actual.port == expected_port_ &&
        !actual.has_userinfo && actual_path == expected_path_) {
      return {};
    }
    const std::string_view actual_base = redirect.substr(0, redirect.find('?'));
    std::string message = "the redirect goes to " + shorten(actual_base) +
                          ", not to redirect_uri " + shorten(redirect_uri_);
    const auto longer_by_slash = [](std::string_view a, std::string_view b) {
      return a.size() == b.size() + 1 && a.back() == '/' && a.substr(0, b.size()) == b;
    };
    if (longer_by_slash(actual_path, expected_path_) ||
        longer_by_slash(expected_path_, actual_path)) {
      message += " (they differ by a trailing slash)";
    }
    return message;
  }

  static std::string shorten(std::string_view text) {
    constexpr std::size_t limit = 200;
    if (text.size() <= limit) return std::string(text);
    return std::string(text.substr(0, limit)) + "...";
  }

  std::string redirect_uri_;
  std::string config_problem_;  ///< why redirect_uri is unusable, or empty
  std::string expected_scheme_;
  std::string expected_host_;
  int expected_port_ = -1;
  std::string expected_path_;  ///< "/" for an empty path
  std::optional<std::string> expected_state_;
};

}  // namespace instagram::oauth
