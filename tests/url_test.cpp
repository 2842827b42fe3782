#include "catch.hpp"
#include "random_bytes.hpp"

#include <instagram/oauth/detail/url.hpp>

#include <string>

using namespace instagram::oauth;

TEST_CASE("percent_encode keeps only unreserved bytes", "[url]") {
  CHECK(detail::percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(detail::percent_encode("a b+c&d=e#f%g") == "a%20b%2Bc%26d%3De%23f%25g");
  CHECK(detail::percent_encode("https://socialsizzle.herokuapp.com/auth/") ==
        "https%3A%2F%2Fsocialsizzle.herokuapp.com%2Fauth%2F");
  CHECK(detail::percent_encode(std::string("\0\xFF\xC3\xA9", 4)) == "%00%FF%C3%A9");
  CHECK(detail::percent_encode("").empty());
}

TEST_CASE("form_decode follows WHATWG application/x-www-form-urlencoded", "[url]") {
  CHECK(detail::form_decode("The+user+denied+your+request") == "The user denied your request");
  CHECK(detail::form_decode("a%20b%2Bc") == "a b+c");
  CHECK(detail::form_decode("%41%4a%4A") == "AJJ");
  CHECK(detail::form_decode("%") == "%");
  CHECK(detail::form_decode("%%") == "%%");
  CHECK(detail::form_decode("%2") == "%2");
  CHECK(detail::form_decode("%zz%2G") == "%zz%2G");
  CHECK(detail::form_decode("100%25") == "100%");
  CHECK(detail::form_decode("%23_") == "#_");
  CHECK(detail::form_decode("%FF%00") == std::string("\xFF\0", 2));
}

TEST_CASE("query parameters split on & and the first =", "[url]") {
  std::string seen;
  detail::for_each_query_param("a=1&&b==2&c&=d&",
                               [&](std::string_view name, std::string_view value) {
                                 seen += "[" + std::string(name) + "|" + std::string(value) + "]";
                               });
  CHECK(seen == "[a|1][b|=2][c|][|d]");
}

TEST_CASE("split_url finds scheme, host, effective port and path", "[url]") {
  const auto parts = detail::split_url("HTTPS://Example.COM/auth/?code=1#_");
  REQUIRE(parts);
  CHECK(parts->scheme == "HTTPS");
  CHECK(parts->host == "Example.COM");
  CHECK(parts->port == 443);
  CHECK(parts->path == "/auth/");
  CHECK(parts->query == std::optional<std::string_view>("code=1"));
  CHECK(parts->fragment == std::optional<std::string_view>("_"));

  const auto ipv6 = detail::split_url("http://[::1]:8080");
  REQUIRE(ipv6);
  CHECK(ipv6->host == "[::1]");
  CHECK(ipv6->port == 8080);
  CHECK(ipv6->path.empty());

  CHECK_FALSE(detail::split_url("https://"));
  CHECK_FALSE(detail::split_url("https://host:99999/"));
  CHECK_FALSE(detail::split_url("https://host:80a/"));
  CHECK_FALSE(detail::split_url("https://[::1/"));
  CHECK_FALSE(detail::split_url("/relative/path"));
  CHECK_FALSE(detail::split_url("1http://host/"));
}

TEST_CASE("check_url names the field and the rule", "[url]") {
  CHECK(detail::check_url("redirect_uri", "https://example.com/auth/").empty());
  CHECK(detail::check_url("redirect_uri", "http://127.0.0.1:8080/cb").empty());
  CHECK(detail::check_url("redirect_uri", "http://[::1]/cb").empty());
  CHECK(detail::check_url("redirect_uri", "http://LOCALHOST/cb").empty());
  CHECK(detail::check_url("redirect_uri", "") == "redirect_uri is empty");
  CHECK(detail::check_url("redirect_uri", "/auth/") ==
        "redirect_uri must be an absolute URL such as https://example.com/auth/");
  CHECK(detail::check_url("redirect_uri", "http://example.com/auth/") ==
        "redirect_uri must use https (http is allowed only for 127.0.0.1, ::1 and localhost)");
  CHECK(detail::check_url("redirect_uri", "ftp://example.com/") ==
        "redirect_uri must use https (http is allowed only for 127.0.0.1, ::1 and localhost)");
  CHECK(detail::check_url("redirect_uri", "https://example.com/auth/#x") ==
        "redirect_uri must not contain a fragment ('#')");
  CHECK(detail::check_url("endpoints.token", "https://user:pw@example.com/") ==
        "endpoints.token must not contain user information ('@' before the host)");
  CHECK(detail::check_url("redirect_uri", "https://example.com/a b") ==
        "redirect_uri must not contain spaces or control characters");
}

TEST_CASE("encoding then decoding gives back every byte string", "[url][property]") {
  std::mt19937 rng(20261128);
  for (int i = 0; i < 10'000; ++i) {
    const std::string value = testing::random_bytes(rng, 48);
    const std::string encoded = detail::percent_encode(value);
    REQUIRE(encoded.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%") ==
            std::string::npos);
    REQUIRE(detail::form_decode(encoded) == value);
  }
}
