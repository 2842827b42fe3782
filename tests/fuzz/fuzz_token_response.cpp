// The JSON mapping of token answers, through TokenExchanger and a stub transport: any
// body and status gives a token or an error, never a crash, and never leaks the secrets. With
// bit 3 of the first byte, the body is also both of Meta's usage headers: any figures read
// from them are percentages and minutes of at least 0.
#include <instagram/oauth/token_exchanger.hpp>

#include "sample_app.hpp"
#include "stub_transport.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace {

using namespace instagram::oauth;

const std::string client_secret = "fuzz-client-secret-7Q";
const std::string code = "AQB-fuzz-code-9Z";

bool leaks(const std::string& text) {
  return text.find(client_secret) != std::string::npos || text.find(code) != std::string::npos;
}

TokenExchanger make_exchanger(std::shared_ptr<HttpTransport> transport) {
  AppConfig app = testing::sample_app();
  app.client_secret = client_secret;
  return TokenExchanger::create(std::move(app), std::move(transport)).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const auto transport = std::make_shared<testing::StubTransport>(HttpResponse{});
  static const TokenExchanger exchanger = make_exchanger(transport);
  static const int statuses[] = {200, 400, 401, 403, 404, 500, 502, 504};
  transport->answer.status = statuses[data[0] % 8];
  transport->answer.content_type = "application/json";
  transport->answer.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  transport->answer.headers.clear();
  if ((data[0] & 8) != 0) {
    transport->answer.headers = {{"x-app-usage", transport->answer.body},
                                 {"x-business-use-case-usage", transport->answer.body}};
  }
  transport->requests.clear();
  const Result<AccessToken> token = exchanger.exchange(code);
  if (!token) {
    const OAuthException& error = token.error();
    if (leaks(error.what()) || leaks(error.body_excerpt()) || leaks(error.error_message()))
      __builtin_trap();
    if (error.body_excerpt().size() > 512) __builtin_trap();
    if (const std::optional<MetaUsage>& usage = error.meta_usage()) {
      for (const std::optional<int>& figure :
           {usage->call_count, usage->total_cputime, usage->total_time}) {
        if (figure && *figure < 0) __builtin_trap();
      }
      if (usage->regain_access && usage->regain_access->count() < 0) __builtin_trap();
    }
  } else if (token->access_token.empty()) {
    __builtin_trap();
  }
  return 0;
}
