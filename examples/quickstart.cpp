#include <cstdlib>
#include <instagram/oauth.hpp>
#include <iostream>
using namespace instagram::oauth;

int main(int argc, char** argv) {
  const char* secret = std::getenv("INSTAGRAM_CLIENT_SECRET");
  if (argc < 2 || !secret) {
    std::cerr << "usage: INSTAGRAM_CLIENT_SECRET=… quickstart REDIRECT\n";
    return 2;
  }
  // Your Instagram app's ID and secret ("API setup with Instagram login"), your redirect URI.
  const AppConfig app{"990602627938098", secret, "https://socialsizzle.herokuapp.com/auth/"};
  const std::string state = "from-the-users-session";  // generate_state() when sending the user
  std::cout
      << AuthorizeUrlBuilder(app).scope("instagram_business_basic").state(state).build().value()
      << '\n';
  try {  // value() throws the OAuthException a Result holds: denied, forged, refused
    // The user allows the app; Instagram redirects to …/auth/?code=AQBx-hBsH3…&state=…#_
    const AuthorizationCode code = RedirectParser(app).parse(argv[1], state).value();
    // Made once at start-up and shared: threads and async calls welcome.
    const TokenExchanger exchanger = TokenExchanger::create(app).value();
    const AccessToken token = exchanger.exchange(code).value();
    const ProfileClient profiles = ProfileClient::create(app, exchanger.transport()).value();
    const UserProfile me = profiles.me(token.access_token).value();
    std::cout << "Signed in: @" << me.username << " (" << me.user_id << ")\n";
  } catch (const OAuthException& error) {
    std::cerr << error.what() << '\n';
    return 1;
  }
}
