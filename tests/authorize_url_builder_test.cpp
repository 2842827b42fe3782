#include "catch.hpp"
#include "failure.hpp"
#include "random_bytes.hpp"
#include "reference_query.hpp"
#include "sample_app.hpp"

#include <instagram/oauth/authorize_url_builder.hpp>
#include <instagram/oauth/redirect_parser.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace instagram::oauth;
using testing::sample_app;
using Params = std::vector<std::pair<std::string, std::string>>;

namespace {

// The message of a build that must fail with invalid_argument (the one matcher's view).
std::string build_error(const AuthorizeUrlBuilder& builder) {
  const testing::Failure failure = testing::failure_of(builder.build());
  CHECK(failure.category == ErrorCategory::invalid_argument);
  return failure.message;
}

}  // namespace

TEST_CASE("the document's sample Authorization Window URL", "[builder]") {
  const Result<std::string> url =
      AuthorizeUrlBuilder(sample_app()).scopes({"user_profile", "user_media"}).build();
  REQUIRE(url);
  CHECK(*url ==
        "https://api.instagram.com/oauth/authorize?client_id=990602627938098"
        "&redirect_uri=https%3A%2F%2Fsocialsizzle.herokuapp.com%2Fauth%2F&scope=user_profile%"
        "2Cuser_media"
        "&response_type=code");
  CHECK(url->rfind("https://api.instagram.com/oauth/authorize?", 0) == 0);
  CHECK(testing::reference_query(*url) ==
        Params{{"client_id", "990602627938098"},
               {"redirect_uri", "https://socialsizzle.herokuapp.com/auth/"},
               {"scope", "user_profile,user_media"},
               {"response_type", "code"}});
}

TEST_CASE("state and extra parameters come last, in order", "[builder]") {
  const Result<std::string> url = AuthorizeUrlBuilder(sample_app())
                                      .scope("user_profile")
                                      .state("s t&a=te")
                                      .force_reauth(true)
                                      .extra_param("hl", "pt BR")
                                      .enable_fb_login(false)
                                      .build();
  REQUIRE(url);
  CHECK(testing::reference_query(*url) ==
        Params{{"client_id", "990602627938098"},
               {"redirect_uri", "https://socialsizzle.herokuapp.com/auth/"},
               {"scope", "user_profile"},
               {"response_type", "code"},
               {"state", "s t&a=te"},
               {"hl", "pt BR"},
               {"force_reauth", "true"},
               {"enable_fb_login", "false"}});
}

TEST_CASE("enable_fb_login is sent as true or false, as Meta's current page documents",
          "[builder]") {
  const auto fb_login = [](bool on) {
    const Params params = testing::reference_query(AuthorizeUrlBuilder(sample_app())
                                                       .scope("user_profile")
                                                       .enable_fb_login(on)
                                                       .build()
                                                       .value());
    return params.back();
  };
  CHECK(fb_login(true) == std::pair<std::string, std::string>{"enable_fb_login", "true"});
  CHECK(fb_login(false) == std::pair<std::string, std::string>{"enable_fb_login", "false"});
}

TEST_CASE("scopes keep their order and drop duplicates, comma and space lists split", "[builder]") {
  const Result<std::string> url = AuthorizeUrlBuilder(sample_app())
                                      .scope("user_media")
                                      .scope("user_profile,user_media")
                                      .scopes({"user_profile", "", "insights extra"})
                                      .build();
  REQUIRE(url);
  CHECK(testing::reference_query(*url)[2] ==
        std::pair<std::string, std::string>{"scope", "user_media,user_profile,insights,extra"});
}

TEST_CASE("the Instagram Login preset authorizes at www.instagram.com and requires its scope",
          "[builder]") {
  AppConfig config = sample_app();
  config.endpoints = Endpoints::instagram_login();
  CHECK(build_error(AuthorizeUrlBuilder(config).scope("user_profile")) ==
        "scope must include instagram_business_basic, which this endpoint requires");
  const Result<std::string> url =
      AuthorizeUrlBuilder(config).scope("instagram_business_basic").build();
  REQUIRE(url);
  CHECK(url->rfind("https://www.instagram.com/oauth/authorize?client_id=990602627938098&", 0) == 0);
}

TEST_CASE("an authorize endpoint with a query gets '&'", "[builder]") {
  AppConfig config = sample_app();
  config.endpoints.authorize = "https://api.instagram.com/oauth/authorize?enable_fb_login=0";
  const Result<std::string> url = AuthorizeUrlBuilder(config).scope("user_profile").build();
  REQUIRE(url);
  CHECK(
      url->rfind(
          "https://api.instagram.com/oauth/authorize?enable_fb_login=0&client_id=990602627938098&",
          0) == 0);
}

TEST_CASE("an empty required_scope requires nothing", "[builder]") {
  AppConfig config = sample_app();
  config.endpoints.required_scope.clear();
  CHECK(AuthorizeUrlBuilder(config).scope("user_media").build().has_value());
}

TEST_CASE("build() names the field at fault", "[builder]") {
  AppConfig config = sample_app();
  config.client_id = "";
  CHECK(build_error(AuthorizeUrlBuilder(config).scope("user_profile")) == "client_id is empty");
  config.client_id = "99x";
  CHECK(build_error(AuthorizeUrlBuilder(config).scope("user_profile")) ==
        "client_id must be a numeric string (the Instagram App ID)");

  config = sample_app();
  config.redirect_uri = "http://socialsizzle.herokuapp.com/auth/";
  CHECK(build_error(AuthorizeUrlBuilder(config).scope("user_profile")) ==
        "redirect_uri must use https (http is allowed only for 127.0.0.1, ::1 and localhost)");
  config.redirect_uri = "socialsizzle.herokuapp.com/auth/";
  CHECK(build_error(AuthorizeUrlBuilder(config).scope("user_profile")) ==
        "redirect_uri must be an absolute URL such as https://example.com/auth/");
  config.redirect_uri = "https://socialsizzle.herokuapp.com/auth/#_";
  CHECK(build_error(AuthorizeUrlBuilder(config).scope("user_profile")) ==
        "redirect_uri must not contain a fragment ('#')");
  config.redirect_uri = "http://127.0.0.1:8080/auth/";
  CHECK(AuthorizeUrlBuilder(config).scope("user_profile").build().has_value());

  config = sample_app();
  config.endpoints.authorize = "http://api.instagram.com/oauth/authorize";
  CHECK(
      build_error(AuthorizeUrlBuilder(config).scope("user_profile")) ==
      "endpoints.authorize must use https (http is allowed only for 127.0.0.1, ::1 and localhost)");

  const AuthorizeUrlBuilder builder(sample_app());
  CHECK(build_error(builder) == "scope is empty: request at least one permission");
  CHECK(build_error(AuthorizeUrlBuilder(sample_app()).scope("user_media")) ==
        "scope must include user_profile, which this endpoint requires");
  CHECK(build_error(AuthorizeUrlBuilder(sample_app()).scope("user_profile").state("")) ==
        "state is empty: omit state() or pass a non-empty value");
  CHECK(build_error(AuthorizeUrlBuilder(sample_app()).scope("user_profile").extra_param("", "x")) ==
        "extra_param name is empty");
  for (const char* core : {"client_id", "redirect_uri", "scope", "response_type", "state",
                           "force_reauth", "enable_fb_login"}) {
    CHECK(build_error(
              AuthorizeUrlBuilder(sample_app()).scope("user_profile").extra_param(core, "x")) ==
          std::string("extra_param '") + core + "' would override a core parameter (" + core + ")");
  }
  // Spellings a lenient server could normalise into a core parameter.
  for (const char* lookalike : {"redirect.uri", "Redirect_uri", "redirect_uri[]", "REDIRECT-URI"}) {
    CHECK(
        build_error(
            AuthorizeUrlBuilder(sample_app()).scope("user_profile").extra_param(lookalike, "x")) ==
        std::string("extra_param '") + lookalike +
            "' would override a core parameter (redirect_uri)");
  }
  CHECK(build_error(AuthorizeUrlBuilder(sample_app())
                        .scope("user_profile")
                        .extra_param("hl", "en")
                        .extra_param("HL", "pt")) == "extra_param 'hl' is given twice");
}

TEST_CASE("the builder keeps no reference to the AppConfig", "[builder]") {
  auto config = std::make_unique<AppConfig>(sample_app());
  const AuthorizeUrlBuilder builder = AuthorizeUrlBuilder(*config).scope("user_profile");
  // Changed, then freed: a reference would see the change (and ASan the freed memory).
  config->client_id = "1";
  config->redirect_uri = "https://evil.example/";
  config.reset();
  const Result<std::string> url = builder.build();
  REQUIRE(url);
  CHECK(url->find("client_id=990602627938098&redirect_uri=https%3A%2F%2Fsocialsizzle") !=
        std::string::npos);
}

TEST_CASE("state, code, redirect_uri and extra params round-trip byte for byte",
          "[builder][property]") {
  std::mt19937 rng(7);
  for (int i = 0; i < 10'000; ++i) {
    AppConfig config = sample_app();
    // A redirect_uri may carry any byte check_url accepts: no space, control byte or '#'.
    std::string path = testing::random_bytes(rng, 24);
    for (char& c : path) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte <= 0x20 || byte == 0x7F || c == '#' || c == '?') c = '_';
    }
    config.redirect_uri = "https://app.example/" + path;
    // Any byte but control bytes, which the parser refuses in a decoded state or code.
    const auto printable = [&rng](std::size_t most) {
      std::string value = testing::random_bytes(rng, most);
      for (char& c : value) c = detail::is_control(c) ? '_' : c;
      return value.empty() ? std::string("s") : value;
    };
    const std::string state = printable(40);
    const std::string code = printable(40);
    const std::string extra_name = "x" + testing::random_bytes(rng, 8);
    const std::string extra_value = testing::random_bytes(rng, 16);

    const Result<std::string> url = AuthorizeUrlBuilder(config)
                                        .scope("user_profile")
                                        .state(state)
                                        .extra_param(extra_name, extra_value)
                                        .build();
    REQUIRE(url);
    const Params params = testing::reference_query(*url);
    REQUIRE(params.size() == 6);
    REQUIRE(params[1].second == config.redirect_uri);
    REQUIRE(params[4].second == state);
    REQUIRE(params[5] == std::pair<std::string, std::string>{extra_name, extra_value});

    // Instagram echoes the state; the parser must read back both it and the code.
    const std::string redirect = config.redirect_uri + "?code=" + detail::percent_encode(code) +
                                 "&state=" + detail::percent_encode(state) + "#_";
    const Result<AuthorizationCode> parsed =
        RedirectParser(config).expected_state(state).parse(redirect);
    REQUIRE(parsed);
    REQUIRE(parsed->code == code);
    REQUIRE(parsed->state == state);
  }
}
