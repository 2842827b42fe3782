// Uses every compiled part (OAuthException, TokenExchanger and so libcurl,
// generate_state) so that linking proves the package carries what it needs.
#include <instagram/oauth.hpp>

#include <iostream>

int main() {
  using namespace instagram::oauth;
  const AppConfig config{
      "990602627938098", "consumer-secret", "https://socialsizzle.herokuapp.com/auth/", {}};
  const Result<std::string> url =
      AuthorizeUrlBuilder(config)
          .scopes({"instagram_business_basic", "instagram_business_content_publish"})
          .state(generate_state())
          .build();
  if (!url) {
    std::cerr << url.error().what() << '\n';
    return 1;
  }
  // An empty code fails locally: no network needed, yet the exchanger is linked.
  const Result<TokenExchanger> exchanger = TokenExchanger::create(config);
  if (!exchanger) return 1;
  const Result<AccessToken> token = exchanger->exchange("");
  if (token || token.error().category() != ErrorCategory::invalid_argument) return 1;
  std::cout << "instagram-oauth " << version << " consumed: " << token.error().what() << '\n';
  return 0;
}
