// A user's test of their sign-in code against the installed look-alike: a code exchanged for
// a token, the profile read with it, and Meta's data-deletion request made and read back.
#include <instagram/oauth.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
#include <instagram/oauth/testing/signed_request.hpp>

#include <iostream>

int main() {
  using namespace instagram::oauth;
  testing::InstagramMock instagram;
  const TokenExchanger exchanger =
      TokenExchanger::create(instagram.app_config(), instagram.client_options()).value();
  const Result<UserProfile> profile =
      exchanger.exchange(instagram.issue_code()).and_then([&](const AccessToken& token) {
        return ProfileClient::create(instagram.app_config(), instagram.client_options())
            .value()
            .me(token.access_token);
      });
  const Result<SignedRequest> deletion =
      parse_signed_request(testing::make_signed_request_for_user(
                               "17841405793187218", instagram.app_config().client_secret),
                           instagram.app_config().client_secret);
  if (!profile || !deletion) return 1;
  std::cout << "Lookalike consumed: signed in as @" << profile->username << ", deletion for user "
            << deletion->user_id << '\n';
  return 0;
}
