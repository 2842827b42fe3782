#include <instagram/oauth/prometheus/telemetry.hpp>
#include <instagram/oauth/token_refresher.hpp>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <chrono>
#include <string>

namespace instagram::oauth {
namespace {

constexpr std::array endpoints = {Endpoint::exchange, Endpoint::long_lived, Endpoint::refresh,
                                  Endpoint::me};
constexpr std::size_t categories = static_cast<std::size_t>(ErrorCategory::invalid_signature) + 1;
constexpr std::array kinds = {
    RefreshEvent::Kind::refreshed,  RefreshEvent::Kind::recovered,
    RefreshEvent::Kind::failed,     RefreshEvent::Kind::reauthorization_needed,
    RefreshEvent::Kind::unreadable, RefreshEvent::Kind::superseded};

// Every metric made once, here, so that the hooks only count (prometheus-cpp's counters and
// gauges are atomic; a histogram locks its own mutex).
class PrometheusTelemetry final : public Telemetry {
 public:
  explicit PrometheusTelemetry(prometheus::Registry& registry) {
    auto& requests = prometheus::BuildCounter()
                         .Name("instagram_oauth_requests_total")
                         .Help(
                             "Requests to Instagram, by endpoint and outcome (ok or the "
                             "error's category)")
                         .Register(registry);
    auto& durations = prometheus::BuildHistogram()
                          .Name("instagram_oauth_request_duration_seconds")
                          .Help("Time from a call to its answer mapped, by endpoint")
                          .Register(registry);
    const prometheus::Histogram::BucketBoundaries buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                             0.5,   1,    2.5,   5,    10,  30};
    for (const Endpoint endpoint : endpoints) {
      const std::string name(to_string(endpoint));
      const auto at = static_cast<std::size_t>(endpoint);
      ok_[at] = &requests.Add({{"endpoint", name}, {"outcome", "ok"}});
      for (std::size_t category = 0; category < categories; ++category) {
        failed_[at][category] = &requests.Add(
            {{"endpoint", name},
             {"outcome", std::string(to_string(static_cast<ErrorCategory>(category)))}});
      }
      duration_[at] = &durations.Add({{"endpoint", name}}, buckets);
    }
    auto& events = prometheus::BuildCounter()
                       .Name("instagram_oauth_refresh_events_total")
                       .Help("Refresh outcomes, by kind")
                       .Register(registry);
    for (const RefreshEvent::Kind kind : kinds) {
      events_[static_cast<std::size_t>(kind)] =
          &events.Add({{"kind", std::string(to_string(kind))}});
    }
    auto& webhooks = prometheus::BuildCounter()
                         .Name("instagram_oauth_webhooks_verified_total")
                         .Help("Webhook signatures checked, by validity")
                         .Register(registry);
    webhook_valid_ = &webhooks.Add({{"valid", "true"}});
    webhook_invalid_ = &webhooks.Add({{"valid", "false"}});
    usage_ = &prometheus::BuildGauge()
                  .Name("instagram_oauth_meta_usage_percent")
                  .Help("Meta's rate-limit usage as the newest answer said it, by figure")
                  .Register(registry);
    regain_access_ = &prometheus::BuildGauge()
                          .Name("instagram_oauth_meta_regain_access_seconds")
                          .Help(
                              "Meta's estimated_time_to_regain_access, as the newest answer "
                              "with usage said it")
                          .Register(registry)
                          .Add({});
  }

  void request_done(const RequestMeasurement& measurement) override {
    const auto at = static_cast<std::size_t>(measurement.endpoint);
    if (at >= endpoints.size()) return;
    const auto category =
        measurement.error ? static_cast<std::size_t>(*measurement.error) : categories;
    if (!measurement.error) {
      ok_[at]->Increment();
    } else if (category < categories) {
      failed_[at][category]->Increment();
    }
    duration_[at]->Observe(std::chrono::duration<double>(measurement.duration).count());
  }

  void refresh_event(const RefreshEvent& event) override {
    const auto at = static_cast<std::size_t>(event.kind);
    if (at < kinds.size()) events_[at]->Increment();
  }

  void webhook_verified(bool valid) override {
    (valid ? webhook_valid_ : webhook_invalid_)->Increment();
  }

  void meta_usage(const MetaUsage& usage) override {
    // Add() finds the one already made after the first time; only these three ever exist.
    const auto set = [this](const char* figure, const std::optional<int>& value) {
      if (value) usage_->Add({{"figure", figure}}).Set(*value);
    };
    set("call_count", usage.call_count);
    set("total_cputime", usage.total_cputime);
    set("total_time", usage.total_time);
    regain_access_->Set(
        usage.regain_access
            ? static_cast<double>(std::chrono::seconds(*usage.regain_access).count())
            : 0.0);
  }

 private:
  std::array<prometheus::Counter*, endpoints.size()> ok_{};
  std::array<std::array<prometheus::Counter*, categories>, endpoints.size()> failed_{};
  std::array<prometheus::Histogram*, endpoints.size()> duration_{};
  std::array<prometheus::Counter*, kinds.size()> events_{};
  prometheus::Counter* webhook_valid_ = nullptr;
  prometheus::Counter* webhook_invalid_ = nullptr;
  prometheus::Family<prometheus::Gauge>* usage_ = nullptr;
  prometheus::Gauge* regain_access_ = nullptr;
};

}  // namespace

std::shared_ptr<Telemetry> prometheus_telemetry(prometheus::Registry& registry) {
  return std::make_shared<PrometheusTelemetry>(registry);
}

}  // namespace instagram::oauth
