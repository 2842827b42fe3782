// Compiled with the project's include directories only: proves that <instagram/oauth.hpp>
// needs nothing but the standard library.
#include <instagram/oauth.hpp>

#if __has_include(<curl/curl.h>) && defined(CURLINC_CURL_H)
#error "a public header pulled in curl/curl.h"
#endif
#ifdef INCLUDE_NLOHMANN_JSON_HPP_
#error "a public header pulled in nlohmann/json.hpp"
#endif

int instagram_oauth_header_check() {
  const instagram::oauth::AppConfig config{
      "990602627938098", "secret", "https://example.com/auth/", {}};
  return instagram::oauth::AuthorizeUrlBuilder(config)
                 .scope("instagram_business_basic")
                 .build()
                 .has_value()
             ? 0
             : 1;
}
