// ProfileClient against the look-alike's /me, and the mapping of every documented shape.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/profile.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/token_exchanger.hpp>

#include "sample_app.hpp"
#include "stub_transport.hpp"

#include <string>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;
using testing::InstagramMock;
using testing::MockOptions;
using testing::ProfileShape;

namespace {

// A user who signed in on `mock`: a short-lived token.
std::string signed_in(InstagramMock& mock) {
  return TokenExchanger::create(mock.app_config(), mock.client_options())
      .value()
      .exchange(mock.issue_code())
      .value()
      .access_token;
}

Result<UserProfile> profile_from(int status, std::string body) {
  const auto stub =
      std::make_shared<testing::StubTransport>(testing::json_answer(status, std::move(body)));
  return ProfileClient::create(testing::InstagramMock().app_config(), stub)
      .value()
      .me("IGQVJ-token-0123");
}

}  // namespace

TEST_CASE("/me in both shapes, every field exact, ids above 2^53", "[profile]") {
  for (const ProfileShape shape :
       {ProfileShape::flat, ProfileShape::data, ProfileShape::string_counts}) {
    INFO("shape " << static_cast<int>(shape));
    MockOptions options;
    options.profile_shape = shape;
    options.user_id = "17841405793187219";  // odd: a double would make it …220
    InstagramMock mock(options);
    const ProfileClient client =
        ProfileClient::create(mock.app_config(), mock.client_options()).value();
    const std::string token = signed_in(mock);
    const Result<UserProfile> profile =
        client.me(token, {"user_id", "username", "name", "account_type", "profile_picture_url",
                          "followers_count", "follows_count", "media_count"});
    REQUIRE(profile);
    CHECK(profile->id == "27640875392278831");
    CHECK(profile->user_id == "17841405793187219");
    CHECK(profile->username == "socialsizzle");
    CHECK(profile->name == "Social Sizzle");
    CHECK(profile->account_type == "Business");
    CHECK(profile->profile_picture_url == "https://scontent.cdninstagram.com/v/profile.jpg");
    CHECK(profile->followers_count == std::optional<std::uint64_t>(1234));
    CHECK(profile->follows_count == std::optional<std::uint64_t>(56));
    CHECK(profile->media_count == std::optional<std::uint64_t>(78));

    // The default fields: no counts asked for, none given.
    const Result<UserProfile> basic = client.me(token);
    REQUIRE(basic);
    CHECK(basic->username == "socialsizzle");
    CHECK_FALSE(basic->followers_count.has_value());
  }
}

TEST_CASE("/me is versioned by graph_version, or unversioned", "[profile]") {
  InstagramMock mock;
  const std::string token = signed_in(mock);
  AppConfig config = mock.app_config();
  const auto stub = std::make_shared<testing::StubTransport>(
      testing::json_answer(200, R"({"id":"1","username":"u"})"));
  REQUIRE(ProfileClient::create(config, stub).value().me(token));
  config.endpoints.graph_version.clear();
  REQUIRE(ProfileClient::create(config, stub).value().me(token));
  REQUIRE(stub->requests.size() == 2);
  CHECK(stub->requests[0].url.rfind(mock.base_url() + "/v25.0/me?fields=user_id%2Cusername%2C",
                                    0) == 0);
  CHECK(stub->requests[1].url.rfind(mock.base_url() + "/me?fields=", 0) == 0);
  CHECK(stub->requests[0].method == HttpMethod::get);
  // And the real look-alike answers unversioned too.
  REQUIRE(ProfileClient::create(config, mock.client_options()).value().me(token));
}

TEST_CASE("graph errors on /me map like every other error, the token masked", "[profile]") {
  InstagramMock mock;
  const ProfileClient client =
      ProfileClient::create(mock.app_config(), mock.client_options()).value();
  const Result<UserProfile> bogus = client.me("IGQWR-not-a-token-of-ours");
  REQUIRE_FALSE(bogus);
  CHECK(failure_of(bogus) ==
        Failure{ErrorCategory::api, "Invalid OAuth access token - Cannot parse access token"});
  CHECK(bogus.error().code() == 190);
  mock.set_fault(testing::Fault::html_502);
  const Result<UserProfile> html = client.me("IGQWR-not-a-token-of-ours");
  CHECK(failure_of(html) ==
        Failure{ErrorCategory::invalid_response, "the answer is not JSON (HTTP 502, text/html)"});

  // An answer that echoes the token: masked out of every text.
  const Result<UserProfile> echo =
      profile_from(500, R"(<html>token IGQVJ-token-0123 was refused</html>)");
  REQUIRE_FALSE(echo);
  CHECK(echo.error().body_excerpt() == "<html>token (redacted) was refused</html>");
  CHECK(
      failure_of(ProfileClient::create(mock.app_config(), mock.client_options()).value().me("")) ==
      Failure{ErrorCategory::invalid_argument, "access token is empty"});
}

TEST_CASE("/me mapping: missing fields, counts as strings, bad ids refused", "[profile]") {
  const Result<UserProfile> sparse = profile_from(200, R"({"id":"17841405793187218"})");
  REQUIRE(sparse);
  CHECK(sparse->id == "17841405793187218");
  CHECK(sparse->username.empty());
  CHECK_FALSE(sparse->media_count.has_value());

  const Result<UserProfile> numeric = profile_from(
      200, R"({"id":27640875392278831,"user_id":17841405793187219,"media_count":"5"})");
  REQUIRE(numeric);
  CHECK(numeric->id == "27640875392278831");
  CHECK(numeric->user_id == "17841405793187219");
  CHECK(numeric->media_count == std::optional<std::uint64_t>(5));

  CHECK(failure_of(profile_from(200, R"({"username":"u"})")) ==
        Failure{ErrorCategory::invalid_response, "the profile answer has no id"});
  CHECK(failure_of(profile_from(200, R"({"id":"0017"})")) ==
        Failure{ErrorCategory::invalid_response, "the profile's id is not a decimal integer"});
  CHECK(failure_of(profile_from(200, R"({"id":"1","media_count":-3})")) ==
        Failure{ErrorCategory::invalid_response, "the profile's media_count is not a count"});
  CHECK(failure_of(profile_from(200, R"({"id":"1","username":"a\nb"})")) ==
        Failure{ErrorCategory::invalid_response,
                "the profile's username contains control characters"});
  CHECK(failure_of(profile_from(200, R"({"data":[]})")) ==
        Failure{ErrorCategory::invalid_response, "the profile answer is not a JSON object"});
}

TEST_CASE("me_async shares the exchanger's transport and delivers once", "[profile][async]") {
  InstagramMock mock;
  const TokenExchanger exchanger =
      TokenExchanger::create(mock.app_config(), mock.client_options()).value();
  const ProfileClient client =
      ProfileClient::create(mock.app_config(), exchanger.transport()).value();
  const std::string token = exchanger.exchange(mock.issue_code()).value().access_token;
  const Result<UserProfile> profile = client.me_async(token).get();
  REQUIRE(profile);
  CHECK(profile->user_id == "17841405793187218");
  CHECK(mock.connections() == 1);  // one connection for both calls
}

TEST_CASE("ProfileClient::create refuses an unusable configuration at start-up", "[profile]") {
  AppConfig app = testing::sample_app();
  CHECK(ProfileClient::create(app).has_value());
  app.endpoints.graph = "http://graph.example.com";
  const Result<ProfileClient> plain = ProfileClient::create(app);
  REQUIRE_FALSE(plain);
  CHECK(plain.error().category() == ErrorCategory::invalid_argument);
  CHECK(plain.error().error_message().find("endpoints.graph") != std::string::npos);
  ClientOptions options;
  options.total_timeout = std::chrono::milliseconds(0);
  CHECK(testing::failure_of(ProfileClient::create(testing::sample_app(), options)) ==
        testing::Failure{ErrorCategory::invalid_argument,
                         "ClientOptions::total_timeout must be positive (0 or less would mean no "
                         "limit)"});
  CHECK(testing::failure_of(ProfileClient::create(testing::sample_app(), nullptr)) ==
        testing::Failure{ErrorCategory::invalid_argument, "the transport is null"});
}

// The deprecated constructor keeps its behaviour until it is removed: an unusable
// configuration is reported by every call, and nothing is sent.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_CASE("ProfileClient's deprecated constructor: an unusable configuration fails every call",
          "[profile]") {
  const auto stub = std::make_shared<testing::StubTransport>(testing::json_answer(200, "{}"));
  AppConfig app = testing::sample_app();
  app.endpoints.graph = "http://graph.example.com";
  const ProfileClient client(app, stub);
  const Result<UserProfile> profile = client.me("IGQWR");
  REQUIRE_FALSE(profile);
  CHECK(profile.error().category() == ErrorCategory::invalid_argument);
  CHECK(profile.error().error_message().find("endpoints.graph") != std::string::npos);
  CHECK(stub->requests.empty());
}
#pragma GCC diagnostic pop
