// Step 2: trade the code for a short-lived token, then for a long-lived one.
//   INSTAGRAM_CLIENT_SECRET=... exchange_code CODE
// INSTAGRAM_ENDPOINT_BASE and INSTAGRAM_CA_FILE point it at a local look-alike instead.
#include <instagram/oauth.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  using namespace instagram::oauth;
  const char* secret = std::getenv("INSTAGRAM_CLIENT_SECRET");
  if (argc < 2 || secret == nullptr) {
    std::cerr << "usage: INSTAGRAM_CLIENT_SECRET=... exchange_code CODE\n";
    return 2;
  }
  AppConfig app{"990602627938098", secret, "https://socialsizzle.herokuapp.com/auth/"};
  ClientOptions options;
  if (const char* base = std::getenv("INSTAGRAM_ENDPOINT_BASE")) {
    app.endpoints = app.endpoints.at(base);
    options.ca_file = std::getenv("INSTAGRAM_CA_FILE") ? std::getenv("INSTAGRAM_CA_FILE") : "";
    options.allow_plain_http = true;  // honoured for loopback hosts only
  }

  // Made once and shared (it shares its connections); an unusable configuration fails here.
  const Result<TokenExchanger> made = TokenExchanger::create(app, options);
  if (!made) {
    std::cerr << made.error().what() << '\n';
    return 2;
  }
  const TokenExchanger& exchanger = *made;
  const Result<AccessToken> token = exchanger.exchange(argv[1]);
  if (!token) {
    std::cerr << token.error().what() << '\n';  // never contains the secret or the code
    return 1;
  }
  std::cout << "short-lived: " << *token << '\n';  // the token prints redacted

  const Result<AccessToken> long_lived = exchanger.exchange_for_long_lived(token->access_token);
  if (!long_lived) {
    std::cerr << long_lived.error().what() << '\n';
    return 1;
  }
  std::cout << "long-lived:  " << *long_lived << '\n';
}
