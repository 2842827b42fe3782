/// @file
/// Component InstagramOAuth::Prometheus: a Telemetry that counts into the caller's
/// prometheus-cpp registry. It registers its families there and never opens a port: the
/// service exposes the registry as it already does (prometheus::Exposer, or its own /metrics).
#pragma once

#include <instagram/oauth/telemetry.hpp>

#include <memory>

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace instagram::oauth {

/// Registers in `registry`, which must outlive what it returns:
/// - `instagram_oauth_requests_total{endpoint, outcome}`: outcome `ok` or the error's
///   category (`api`, `timeout`, …);
/// - `instagram_oauth_request_duration_seconds{endpoint}`: a histogram, 5 ms to 30 s;
/// - `instagram_oauth_refresh_events_total{kind}`: refreshed, recovered, failed, …;
/// - `instagram_oauth_webhooks_verified_total{valid}`: `true` or `false`;
/// - `instagram_oauth_meta_usage_percent{figure}`: call_count, total_cputime, total_time, as
///   the newest answer said them (a figure no answer said is not set);
/// - `instagram_oauth_meta_regain_access_seconds`: estimated_time_to_regain_access, 0 when an
///   answer said none.
/// Labels carry endpoints, categories and kinds only: never a user id, code, token or secret.
/// Every label combination is made here, so that a scrape shows zeros before the first
/// request. Thread-safe (share one among every client); a second call with the same registry
/// shares its families. Throws what prometheus-cpp throws for a registry that holds a family
/// of one of these names with another type.
///
/// @code
/// // registry: the service's prometheus::Registry, exposed as it already is
/// options.telemetry = prometheus_telemetry(registry);
/// @endcode
std::shared_ptr<Telemetry> prometheus_telemetry(prometheus::Registry& registry);

}  // namespace instagram::oauth
