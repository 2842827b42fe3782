// What a service's telemetry is told: each request to the look-alike over real HTTP, Meta's
// usage, refresh events and webhook checks.
#include "catch.hpp"

#include <instagram/oauth/profile.hpp>
#include <instagram/oauth/telemetry.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_refresher.hpp>
#include <instagram/oauth/webhooks.hpp>

#include "store_contract.hpp"

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace instagram::oauth;

namespace {

// What it was told, in order (the calls below are blocking: one at a time).
struct Recorder final : Telemetry {
  void request_done(const RequestMeasurement& measurement) override {
    std::lock_guard<std::mutex> lock(mutex);
    requests.push_back(measurement);
  }
  void refresh_event(const RefreshEvent& event) override {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(event.kind);
  }
  void webhook_verified(bool valid) override {
    std::lock_guard<std::mutex> lock(mutex);
    webhooks.push_back(valid);
  }
  void meta_usage(const MetaUsage& usage) override {
    std::lock_guard<std::mutex> lock(mutex);
    usages.push_back(usage);
  }
  std::mutex mutex;
  std::vector<RequestMeasurement> requests;
  std::vector<RefreshEvent::Kind> events;
  std::vector<bool> webhooks;
  std::vector<MetaUsage> usages;
};

// One that throws from every hook: nothing it throws may change an answer.
struct Throwing final : Telemetry {
  void request_done(const RequestMeasurement&) override { throw std::runtime_error("hook"); }
  void meta_usage(const MetaUsage&) override { throw std::runtime_error("hook"); }
  void webhook_verified(bool) override { throw std::runtime_error("hook"); }
};

}  // namespace

TEST_CASE("each endpoint's request is measured: its status, its error's category, no secret",
          "[telemetry]") {
  testing::InstagramMock mock;
  const auto recorder = std::make_shared<Recorder>();
  ClientOptions options = mock.client_options();
  options.telemetry = recorder;
  const std::shared_ptr<HttpTransport> transport = make_curl_transport(options);
  CHECK(transport->telemetry() == recorder);
  const TokenExchanger exchanger = TokenExchanger::create(mock.app_config(), transport).value();
  const ProfileClient profiles = ProfileClient::create(mock.app_config(), transport).value();

  const AccessToken short_lived = exchanger.exchange(mock.issue_code()).value();
  const AccessToken long_lived =
      exchanger.exchange_for_long_lived(short_lived.access_token).value();
  REQUIRE(profiles.me(long_lived.access_token).has_value());
  // Too young to refresh: the look-alike answers an api error, 400.
  CHECK(exchanger.refresh(long_lived.access_token).error().category() == ErrorCategory::api);
  // Async: measured on the engine thread, once.
  CHECK(exchanger.exchange_async("not-a-code").get().error().category() == ErrorCategory::api);
  // Refused before anything was sent: not a request, nothing measured.
  CHECK(exchanger.exchange("").error().category() == ErrorCategory::invalid_argument);

  std::lock_guard<std::mutex> lock(recorder->mutex);
  REQUIRE(recorder->requests.size() == 5);
  const std::vector<Endpoint> endpoints = {Endpoint::exchange, Endpoint::long_lived, Endpoint::me,
                                           Endpoint::refresh, Endpoint::exchange};
  const std::vector<int> statuses = {200, 200, 200, 400, 400};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO(i);
    CHECK(recorder->requests[i].endpoint == endpoints[i]);
    CHECK(recorder->requests[i].http_status == statuses[i]);
    CHECK(recorder->requests[i].duration > std::chrono::nanoseconds(0));
    CHECK(recorder->requests[i].error ==
          (statuses[i] == 200 ? std::nullopt : std::optional(ErrorCategory::api)));
  }
  CHECK(recorder->usages.empty());  // the look-alike sent no usage headers
  CHECK(to_string(Endpoint::long_lived) == "long_lived");
  CHECK(to_string(Endpoint::me) == "me");
}

TEST_CASE("Meta's usage reaches the telemetry; a transport error has no status",
          "[telemetry][meta_usage]") {
  testing::InstagramMock mock;
  const auto recorder = std::make_shared<Recorder>();
  ClientOptions options = mock.client_options();
  options.telemetry = recorder;
  const TokenExchanger exchanger = TokenExchanger::create(mock.app_config(), options).value();
  const AccessToken short_lived = exchanger.exchange(mock.issue_code()).value();
  MetaUsage usage;
  usage.call_count = 81;
  usage.total_cputime = 3;
  mock.set_meta_usage(usage);
  REQUIRE(exchanger.exchange_for_long_lived(short_lived.access_token).has_value());

  AppConfig nowhere = mock.app_config();
  nowhere.endpoints = nowhere.endpoints.at("http://127.0.0.1:1");
  const TokenExchanger unreachable = TokenExchanger::create(nowhere, options).value();
  CHECK(unreachable.exchange("code").error().category() == ErrorCategory::transport);

  std::lock_guard<std::mutex> lock(recorder->mutex);
  REQUIRE(recorder->usages.size() == 1);
  CHECK(recorder->usages[0].call_count == 81);
  CHECK(recorder->usages[0].total_cputime == 3);
  CHECK_FALSE(recorder->usages[0].total_time.has_value());
  REQUIRE(recorder->requests.size() == 3);
  CHECK(recorder->requests[2].http_status == 0);
  CHECK(recorder->requests[2].error == ErrorCategory::transport);
}

TEST_CASE("a telemetry that throws changes no answer", "[telemetry]") {
  testing::InstagramMock mock;
  ClientOptions options = mock.client_options();
  options.telemetry = std::make_shared<Throwing>();
  const TokenExchanger exchanger = TokenExchanger::create(mock.app_config(), options).value();
  MetaUsage usage;
  usage.call_count = 10;
  mock.set_meta_usage(usage);
  const AccessToken short_lived = exchanger.exchange(mock.issue_code()).value();
  CHECK(exchanger.exchange_for_long_lived_async(short_lived.access_token).get().has_value());
  Throwing throwing;
  CHECK(verify_webhook_signature("{}", mock.webhook_signature("{}"),
                                 {mock.app_config().client_secret}, throwing)
            .has_value());
}

TEST_CASE("webhook checks and refresh outcomes are told", "[telemetry][refresher]") {
  testing::InstagramMock mock;
  Recorder recorder;
  const std::string secret = mock.app_config().client_secret;
  CHECK(
      verify_webhook_signature("{}", mock.webhook_signature("{}"), {secret}, recorder).has_value());
  CHECK(verify_webhook_signature("{}", mock.webhook_signature("{ }"), {secret}, recorder)
            .error()
            .category() == ErrorCategory::invalid_signature);
  CHECK(verify_webhook_signature("{}", "md5=00", {secret}, recorder).error().category() ==
        ErrorCategory::invalid_argument);
  CHECK(recorder.webhooks == std::vector<bool>{true, false, false});

  // The refresher tells the transport's telemetry when its options name none.
  const auto told = std::make_shared<Recorder>();
  ClientOptions options = mock.client_options();
  options.telemetry = told;
  const auto exchanger = TokenExchanger::create_shared(mock.app_config(), options).value();
  const auto store = std::make_shared<MemoryTokenStore>();
  testing::save_issued(mock, *store, 3,
                       std::chrono::system_clock::now() - std::chrono::hours(55 * 24));
  mock.advance_clock(std::chrono::hours(55 * 24));
  const RefreshReport report = TokenRefresher(exchanger, store).run_once().value();
  CHECK(report.refreshed == 3);
  std::lock_guard<std::mutex> lock(told->mutex);
  CHECK(told->events == std::vector<RefreshEvent::Kind>(3, RefreshEvent::Kind::refreshed));
  CHECK(told->requests.size() == 3);
}
