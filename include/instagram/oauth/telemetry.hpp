/// @file
/// What a service exports: each request to Instagram, each refresh's outcome, each webhook
/// checked and Meta's usage figures, to hooks that do nothing unless overridden.
#pragma once

#include <instagram/oauth/error.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/meta_usage.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace instagram::oauth {

struct RefreshEvent;

/// Which of Instagram's endpoints a request went to.
enum class Endpoint {
  exchange,    ///< the code for a short-lived token (the token endpoint)
  long_lived,  ///< the short-lived token for a long-lived one (graph)
  refresh,     ///< a long-lived token refreshed (graph)
  me,          ///< the profile (graph's /me)
};

/// The endpoint's name as a metric label uses it ("exchange", "long_lived", …). Thread-safe.
INSTAGRAM_OAUTH_EXPORT std::string_view to_string(Endpoint endpoint) noexcept;

/// One request, measured from the call to its answer mapped. Never a user id, a code, a token
/// or a secret: what a label may carry.
struct RequestMeasurement {
  Endpoint endpoint{};                  ///< which call
  std::chrono::nanoseconds duration{};  ///< from the call to the answer mapped
  int http_status = 0;                  ///< 0 when no answer came
  std::optional<ErrorCategory> error;   ///< none: it succeeded
};

/// Hooks for a service's metrics, given through ClientOptions::telemetry (requests, Meta's
/// usage) and RefresherOptions::telemetry (refresh events); WebhookVerifier and web_login
/// report webhook checks. Every member does nothing unless overridden. They are called on the
/// thread that finished the work: for an async call the transport's engine thread, so they
/// must be quick and must not block; an implementation shared by several clients must be
/// thread-safe. What one throws is dropped.
///
/// @code
/// struct Counter : Telemetry {
///   void request_done(const RequestMeasurement& m) override { record(m); }
/// };
/// options.telemetry = std::make_shared<Counter>();
/// @endcode
class INSTAGRAM_OAUTH_EXPORT Telemetry {
 public:
  virtual ~Telemetry() = default;
  /// A request to Instagram ended (answered, failed or cancelled).
  virtual void request_done(const RequestMeasurement& /*measurement*/) {}
  /// A refresh pass or fresh() reached an outcome for a token. Its user_id is there for an
  /// app's own use; an exporter must not make it a label.
  virtual void refresh_event(const RefreshEvent& /*event*/) {}
  /// A webhook's signature was checked: valid or not.
  virtual void webhook_verified(bool /*valid*/) {}
  /// An answer carried Meta's usage headers.
  virtual void meta_usage(const MetaUsage& /*usage*/) {}
};

}  // namespace instagram::oauth
