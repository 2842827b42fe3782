// Meta's usage headers: read from the answer's header lines (detail::keep_header) and their
// JSON (detail::meta_usage_of), then carried by an error of a real exchange.
#include "catch.hpp"

#include <instagram/oauth/meta_usage.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include "curl_answer.hpp"
#include "meta_usage.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

using namespace instagram::oauth;
using Headers = std::vector<std::pair<std::string, std::string>>;

namespace {

const auto received = std::chrono::system_clock::time_point(std::chrono::hours(490000));

std::optional<MetaUsage> usage_of(Headers headers) {
  return detail::meta_usage_of(headers, received);
}

}  // namespace

TEST_CASE("keep_header keeps Meta's usage headers only, names in lower case, values trimmed",
          "[meta_usage]") {
  Headers kept;
  for (const char* line :
       {"HTTP/2 200 \r\n", "content-type: application/json\r\n",
        "X-App-Usage:  {\"call_count\":28}\t\r\n", "x-business-use-case-usage: {}\r\n",
        "x-app-usage-extra: 1\r\n", "no colon here\r\n", "\r\n"}) {
    detail::keep_header(kept, line);
  }
  CHECK(kept ==
        Headers{{"x-app-usage", "{\"call_count\":28}"}, {"x-business-use-case-usage", "{}"}});
  // A value over 4 KiB is not kept; the next answer's status line clears the last one's.
  detail::keep_header(kept, "x-app-usage: " + std::string(4097, '1') + "\r\n");
  CHECK(kept.size() == 2);
  detail::keep_header(kept, "HTTP/1.1 200 OK\r\n");
  CHECK(kept.empty());
}

TEST_CASE("meta_usage_of reads both headers, the highest of each figure, absent is not zero",
          "[meta_usage]") {
  SECTION("X-App-Usage") {
    const auto usage =
        usage_of({{"x-app-usage", R"({"call_count":28,"total_time":25,"total_cputime":9})"}});
    REQUIRE(usage.has_value());
    CHECK(usage->call_count == 28);
    CHECK(usage->total_time == 25);
    CHECK(usage->total_cputime == 9);
    CHECK_FALSE(usage->regain_access.has_value());
    CHECK(usage->highest() == 28);
    CHECK(usage->received_at == received);
  }
  SECTION("X-Business-Use-Case-Usage, several use cases, fractions rounded up") {
    const auto usage = usage_of(
        {{"x-business-use-case-usage",
          R"({"17841405793187218":[{"type":"instagram","call_count":100,"total_cputime":12.5,)"
          R"("total_time":3,"estimated_time_to_regain_access":7},{"type":"messenger",)"
          R"("call_count":4,"total_time":40}]})"},
         {"x-app-usage", R"({"call_count":5})"}});
    REQUIRE(usage.has_value());
    CHECK(usage->call_count == 100);
    CHECK(usage->total_cputime == 13);
    CHECK(usage->total_time == 40);
    CHECK(usage->regain_access == std::chrono::minutes(7));
  }
  SECTION("a figure that is absent stays absent; zero is zero") {
    const auto usage = usage_of({{"x-app-usage", R"({"call_count":0})"}});
    REQUIRE(usage.has_value());
    CHECK(usage->call_count == 0);
    CHECK_FALSE(usage->total_time.has_value());
    CHECK(usage->highest() == 0);
  }
  SECTION("nothing usable: none, never an error") {
    for (const Headers& headers :
         {Headers{}, Headers{{"x-app-usage", "not json"}}, Headers{{"x-app-usage", "[1,2]"}},
          Headers{{"x-app-usage", R"({"call_count":"28","total_time":-1})"}},
          Headers{{"x-app-usage", R"({"call_count":1e400})"}},
          Headers{{"x-business-use-case-usage", R"({"1":{"call_count":5}})"}},
          Headers{{"x-business-use-case-usage", R"({"1":[7,"x",null]})"}},
          Headers{{"content-type", R"({"call_count":5})"}}}) {
      CHECK_FALSE(usage_of(headers).has_value());
    }
  }
}

TEST_CASE("an exchange's answer with Meta's usage: the error carries it, the exchanger keeps it",
          "[meta_usage][token_exchanger]") {
  testing::InstagramMock mock;
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
  CHECK_FALSE(exchanger.meta_usage().has_value());
  const AccessToken short_lived = exchanger.exchange(mock.issue_code()).value();
  CHECK_FALSE(exchanger.meta_usage().has_value());  // the token endpoint sends none
  MetaUsage throttled;
  throttled.call_count = 100;
  throttled.total_time = 41;
  throttled.regain_access = std::chrono::minutes(12);
  mock.set_meta_usage(throttled);
  const auto before = std::chrono::system_clock::now();
  const AccessToken long_lived =
      exchanger.exchange_for_long_lived(short_lived.access_token).value();
  REQUIRE(exchanger.meta_usage().has_value());
  CHECK(exchanger.meta_usage()->call_count == 100);
  CHECK(exchanger.meta_usage()->received_at >= before);

  mock.fail_with_api_error("Application request limit reached", 4);
  const Result<AccessToken> refused = exchanger.refresh(long_lived.access_token);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code() == 4);
  REQUIRE(refused.error().meta_usage().has_value());
  const MetaUsage& carried = *refused.error().meta_usage();
  CHECK(carried.call_count == 100);
  CHECK(carried.total_time == 41);
  CHECK_FALSE(carried.total_cputime.has_value());
  CHECK(carried.regain_access == std::chrono::minutes(12));
  // A copy of the exchanger shares what it saw.
  const TokenExchanger copy = exchanger;
  CHECK(copy.meta_usage()->regain_access == std::chrono::minutes(12));
}
