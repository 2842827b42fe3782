// Step 1: the URL that sends a user to Instagram's Authorization Window.
#include <instagram/oauth.hpp>

#include <iostream>

int main() {
  using namespace instagram::oauth;
  AppConfig app;
  app.client_id = "990602627938098";  // "API setup with Instagram login" in the App Dashboard
  app.redirect_uri = "https://socialsizzle.herokuapp.com/auth/";

  // Keep the state (in the user's session) to check the redirect against it.
  const std::string state = generate_state();
  const Result<std::string> url =
      AuthorizeUrlBuilder(app)
          .scopes({"instagram_business_basic", "instagram_business_content_publish"})
          .state(state)
          .build();
  if (!url) {
    std::cerr << url.error().what() << '\n';
    return 1;
  }
  std::cout << *url << '\n';
}
