// prometheus_telemetry(): what a scrape of the caller's registry shows after real requests to
// the look-alike, a refresh pass and webhook checks.
#include "catch.hpp"

#include <instagram/oauth/prometheus/telemetry.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_refresher.hpp>
#include <instagram/oauth/webhooks.hpp>

#include "secret_scan.hpp"
#include "store_contract.hpp"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <string>

using namespace instagram::oauth;

namespace {

std::string scrape(const prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a scrape shows each request, refresh outcome, webhook check and Meta's usage",
          "[telemetry][prometheus]") {
  prometheus::Registry registry;
  const std::shared_ptr<Telemetry> telemetry = prometheus_telemetry(registry);
  // Zeros before anything happened: every label combination exists.
  const std::string empty = scrape(registry);
  CHECK(has_line(empty, R"(instagram_oauth_requests_total{endpoint="me",outcome="timeout"} 0)"));
  CHECK(has_line(empty, R"(instagram_oauth_refresh_events_total{kind="superseded"} 0)"));
  CHECK(has_line(empty, "instagram_oauth_meta_regain_access_seconds 0"));

  testing::InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.telemetry = telemetry;
  const auto exchanger = TokenExchanger::create_shared(mock.app_config(), options).value();
  const AccessToken short_lived = exchanger->exchange(mock.issue_code()).value();
  CHECK(exchanger->exchange("used-up").error().category() == ErrorCategory::api);
  MetaUsage usage;
  usage.call_count = 42;
  usage.regain_access = std::chrono::minutes(0);  // Meta's "not throttled"
  mock.set_meta_usage(usage);
  REQUIRE(exchanger->exchange_for_long_lived(short_lived.access_token).has_value());

  const auto store = std::make_shared<MemoryTokenStore>();
  testing::save_issued(mock, *store, 2,
                       std::chrono::system_clock::now() - std::chrono::hours(55 * 24));
  mock.advance_clock(std::chrono::hours(55 * 24));
  CHECK(TokenRefresher(exchanger, store).run_once().value().refreshed == 2);
  const std::string secret = mock.app_config().client_secret;
  CHECK(verify_webhook_signature("{}", mock.webhook_signature("{}"), {secret}, *telemetry)
            .has_value());
  CHECK_FALSE(verify_webhook_signature("{}", "sha256=00", {secret}, *telemetry).has_value());

  const std::string text = scrape(registry);
  INFO(text);
  CHECK(has_line(text, R"(instagram_oauth_requests_total{endpoint="exchange",outcome="ok"} 1)"));
  CHECK(has_line(text, R"(instagram_oauth_requests_total{endpoint="exchange",outcome="api"} 1)"));
  CHECK(has_line(text, R"(instagram_oauth_requests_total{endpoint="long_lived",outcome="ok"} 1)"));
  CHECK(has_line(text, R"(instagram_oauth_requests_total{endpoint="refresh",outcome="ok"} 2)"));
  CHECK(has_line(text, R"(instagram_oauth_request_duration_seconds_count{endpoint="exchange"} 2)"));
  CHECK(has_line(text, R"(instagram_oauth_refresh_events_total{kind="refreshed"} 2)"));
  CHECK(has_line(text, R"(instagram_oauth_webhooks_verified_total{valid="true"} 1)"));
  CHECK(has_line(text, R"(instagram_oauth_webhooks_verified_total{valid="false"} 1)"));
  CHECK(has_line(text, R"(instagram_oauth_meta_usage_percent{figure="call_count"} 42)"));
  CHECK(text.find(R"(figure="total_time")") == std::string::npos);  // never said
  CHECK(has_line(text, "instagram_oauth_meta_regain_access_seconds 0"));
  // No user id, code, token or secret in any label or value.
  CHECK(text.find("17841") == std::string::npos);
  CHECK(text.find("IGQ") == std::string::npos);
  CHECK(text.find(secret) == std::string::npos);
  // Throttled, as an answer would say it.
  usage.call_count = 100;
  usage.regain_access = std::chrono::minutes(3);
  telemetry->meta_usage(usage);
  const std::string throttled = scrape(registry);
  CHECK(has_line(throttled, R"(instagram_oauth_meta_usage_percent{figure="call_count"} 100)"));
  CHECK(has_line(throttled, "instagram_oauth_meta_regain_access_seconds 180"));
  // A second telemetry on the same registry shares its families.
  const std::shared_ptr<Telemetry> again = prometheus_telemetry(registry);
  again->webhook_verified(true);
  CHECK(has_line(scrape(registry), R"(instagram_oauth_webhooks_verified_total{valid="true"} 2)"));
}
