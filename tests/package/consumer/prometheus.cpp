// Uses the Prometheus component (and prometheus-cpp through it): a telemetry in a registry,
// told of one webhook check, then scraped as text.
#include <instagram/oauth/prometheus/telemetry.hpp>

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <iostream>
#include <string>

int main() {
  using namespace instagram::oauth;
  prometheus::Registry registry;
  prometheus_telemetry(registry)->webhook_verified(true);
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  const std::string line = R"(instagram_oauth_webhooks_verified_total{valid="true"} 1)";
  if (text.find(line) == std::string::npos) return 1;
  std::cout << "Prometheus consumed: " << line << '\n';
  return 0;
}
